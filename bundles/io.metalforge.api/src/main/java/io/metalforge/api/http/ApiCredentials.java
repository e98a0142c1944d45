package io.metalforge.api.http;

import java.util.Objects;

/**
 * An OAuth key as MAAS gives it: consumer key, token key and token secret (the consumer secret is empty).
 *
 * @param consumerKey consumer key
 * @param tokenKey    token key
 * @param secret      token secret
 */
public record ApiCredentials(String consumerKey, String tokenKey, String secret) {

    public ApiCredentials {
        Objects.requireNonNull(consumerKey, "consumerKey");
        Objects.requireNonNull(tokenKey, "tokenKey");
        Objects.requireNonNull(secret, "secret");
    }

    /** Hides the secret (records print every component). */
    @Override
    public String toString() {
        return "ApiCredentials[" + consumerKey + ":" + tokenKey + ":<hidden>]";
    }
}
