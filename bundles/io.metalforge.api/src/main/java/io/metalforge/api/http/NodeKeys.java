package io.metalforge.api.http;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Node tokens: the OAuth keys a machine uses while it deploys (MAAS's NodeKey), held by the platform's built-in
 * node user {@value #NODE_USER}, which is never an administrator. They authenticate to the metadata service with
 * the same OAuth 1.0a PLAINTEXT verification as API keys (consumer secret empty); the API itself refuses them.
 */
@ProviderType
public interface NodeKeys {

    /** The built-in user that owns every node token. */
    String NODE_USER = "maas-init-node";

    /** Issues a new key named {@code name} (e.g. "node 4y3h7n"). */
    ApiCredentials issue(String name);

    /** Revokes a key by its consumer key; whether it existed. */
    boolean revoke(String consumerKey);
}
