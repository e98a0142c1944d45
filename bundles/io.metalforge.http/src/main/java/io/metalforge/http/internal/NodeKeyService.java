package io.metalforge.http.internal;

import java.sql.SQLException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.ApiCredentials;
import io.metalforge.api.http.NodeKeys;

/**
 * Node tokens as keys of the built-in, never-admin user {@value NodeKeys#NODE_USER} in the user store, so the
 * metadata service verifies them exactly as API keys are verified (and only their hash is stored).
 */
@Component(service = NodeKeys.class, configurationPolicy = ConfigurationPolicy.IGNORE)
public class NodeKeyService implements NodeKeys {

    private final UserStore users;

    @Activate
    public NodeKeyService(@Reference UserStore users) {
        this.users = users;
    }

    @Override
    public ApiCredentials issue(String name) {
        try {
            if (users.user(NODE_USER).isEmpty()) {
                users.createUser(NODE_USER, "", false); // false when another region created it meanwhile
            }
            ApiKey key = users.createKey(NODE_USER, name).orElseThrow(
                    () -> new IllegalStateException("the node user " + NODE_USER + " could not be created"));
            return new ApiCredentials(key.consumerKey(), key.tokenKey(), key.secret());
        } catch (SQLException e) {
            throw new IllegalStateException("user store unavailable: " + e.getMessage(), e);
        }
    }

    @Override
    public boolean revoke(String consumerKey) {
        try {
            return users.revokeKey(consumerKey, NODE_USER);
        } catch (SQLException e) {
            throw new IllegalStateException("user store unavailable: " + e.getMessage(), e);
        }
    }
}
