package io.metalforge.itests;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.osgi.framework.BundleContext;

/**
 * The platform's HTTP API on loopback, as a MAAS client calls it: an administrator made with the shell command
 * operators use ({@code metalforge:createadmin}), OAuth PLAINTEXT with the key it prints.
 */
final class Api {

    record Reply(int status, String body) {
    }

    private final String base;
    private final String consumer;
    private final String token;
    private final String secret;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong nonce = new AtomicLong(System.nanoTime());

    private Api(String base, String apiKey) {
        String[] parts = apiKey.split(":");
        if (parts.length != 3) {
            throw new IllegalStateException("not an API key: " + apiKey);
        }
        this.base = base;
        this.consumer = parts[0];
        this.token = parts[1];
        this.secret = parts[2];
    }

    static Api asNewAdmin(BundleContext context, CommandProcessor shell, String name) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        String printed;
        try (CommandSession session = shell.createSession(System.in, print, print)) {
            printed = session.execute("metalforge:createadmin " + name) + out.toString(StandardCharsets.UTF_8);
        }
        String key = printed.lines().map(String::strip).filter(l -> l.matches("[^:\\s]+:[^:\\s]+:[^:\\s]+"))
                .reduce((a, b) -> b).orElseThrow(() -> new IllegalStateException("no API key in: " + printed));
        return new Api("http://127.0.0.1:" + context.getProperty("org.osgi.service.http.port"), key);
    }

    /** An API on {@code base} (e.g. http://127.0.0.1:PORT) with a key as {@code bin/metalforge-admin} prints it. */
    static Api withKey(String base, String apiKey) {
        return new Api(base, apiKey);
    }

    /** A signed GET. */
    Reply get(String path) throws Exception {
        return send(request(path).GET());
    }

    /** A multipart/form-data POST of fields and one file part, as the maas CLI sends {@code content@=FILE}. */
    Reply postMultipart(String path, Map<String, String> fields, String fileField, byte[] file) throws Exception {
        String boundary = "metalforge-" + nonce.incrementAndGet();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (Map.Entry<String, String> f : fields.entrySet()) {
            body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.getKey()
                    + "\"\r\n\r\n" + f.getValue() + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + fileField
                + "\"; filename=\"" + fileField + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(file);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return send(request(path).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
    }

    /** A form POST (application/x-www-form-urlencoded). */
    Reply post(String path, Map<String, String> form) throws Exception {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    /** A form PUT (application/x-www-form-urlencoded), as the maas CLI updates an object. */
    Reply put(String path, Map<String, String> form) throws Exception {
        return send(request(path).header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString(form(form))));
    }

    private static String form(Map<String, String> form) {
        StringBuilder body = new StringBuilder();
        form.forEach((k, v) -> body.append(body.length() == 0 ? "" : "&").append(k).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return body.toString();
    }

    /** A POST of raw bytes with extra headers (MAAS v3's one-request upload). */
    Reply postRaw(String path, Map<String, String> headers, byte[] body) throws Exception {
        HttpRequest.Builder b = request(path).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        return send(b);
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "OAuth oauth_nonce=\"" + nonce.incrementAndGet() + "\", oauth_timestamp=\""
                        + System.currentTimeMillis() / 1000 + "\", oauth_version=\"1.0\", "
                        + "oauth_signature_method=\"PLAINTEXT\", oauth_consumer_key=\"" + consumer
                        + "\", oauth_token=\"" + token + "\", oauth_signature=\"%26" + secret + "\"");
    }

    private Reply send(HttpRequest.Builder b) throws Exception {
        HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }
}
