-- wrk script: signs every request with OAuth 1.0a PLAINTEXT as the maas CLI does (fresh nonce, current timestamp).
-- Key parts come from the environment: MF_CK, MF_TK, MF_SECRET; the path from MF_PATH.
local ck, tk, secret = os.getenv("MF_CK"), os.getenv("MF_TK"), os.getenv("MF_SECRET")
local target = os.getenv("MF_PATH")
local threads = 0
local counter = 0
-- nonces must never repeat within 300 s for a key, also across runs: start time, thread and a counter
local started = os.time()

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

function request()
  counter = counter + 1
  local nonce = string.format("%d%02d%012d", started, (id or 0) + 1, counter)
  local auth = string.format('OAuth oauth_nonce="%s", oauth_timestamp="%d", oauth_version="1.0", ' ..
    'oauth_signature_method="PLAINTEXT", oauth_consumer_key="%s", oauth_token="%s", oauth_signature="%%26%s"',
    nonce, os.time(), ck, tk, secret)
  return wrk.format("GET", target, { ["Authorization"] = auth })
end
