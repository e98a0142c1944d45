package io.metalforge.http.internal;

import java.security.SecureRandom;

/**
 * A MAAS API key {@code consumer_key:token_key:token_secret}: 18, 18 and 32 random alphanumerics, as MAAS makes
 * them. Only the SHA-256 of the secret is stored; the secret is shown once, when the key is created.
 * {@link #toString()} hides the secret.
 */
record ApiKey(String consumerKey, String tokenKey, String secret) {

    private static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    static ApiKey generate() {
        return new ApiKey(random(18), random(18), random(32));
    }

    /** The form clients are given: {@code consumer:token:secret}. */
    String formatted() {
        return consumerKey + ":" + tokenKey + ":" + secret;
    }

    @Override
    public String toString() {
        return "ApiKey[" + consumerKey + ":" + tokenKey + ":***]";
    }

    private static String random(int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
        }
        return s.toString();
    }
}
