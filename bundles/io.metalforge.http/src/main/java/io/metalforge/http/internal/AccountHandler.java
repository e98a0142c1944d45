package io.metalforge.http.internal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;

import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiException;
import io.metalforge.api.http.ApiHandler;
import io.metalforge.api.http.ApiRequest;
import io.metalforge.api.http.ApiResponse;

/**
 * {@code account/}: the caller's own API keys. Listing shows {@code consumer:token} only: secrets are stored hashed
 * and cannot be shown again.
 */
// activated on its first request: the API routes by these properties until then
@Component(property = {ApiHandler.NAME_PROPERTY + "=AccountHandler", ApiHandler.PATH_PROPERTY + "=account/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class AccountHandler implements ApiHandler {

    private static final List<ApiAction> ACTIONS = List.of(
            ApiAction.op("POST", "create_authorisation_token", "Create an authorisation token\n\nCreate an API key "
                    + "for the logged-in user; the secret is shown only in this answer.\n\n"
                    + ":param name: Optional. A name for the key.\n:type name: string\n\n", Access.AUTHENTICATED),
            ApiAction.op("POST", "delete_authorisation_token", "Delete an authorisation token\n\nRevoke one of the "
                    + "logged-in user's API keys.\n\n:param token_key: Required. The token key of the key.\n"
                    + ":type token_key: string\n\n", Access.AUTHENTICATED),
            ApiAction.op("GET", "list_authorisation_tokens", "List authorisation tokens\n\nThe logged-in user's "
                    + "API keys, without secrets.\n\n", Access.AUTHENTICATED));

    private final UserStore users;

    @Activate
    public AccountHandler(@Reference UserStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "AccountHandler";
    }

    @Override
    public String doc() {
        return "Manage the current logged-in user.";
    }

    @Override
    public String path() {
        return "account/";
    }

    @Override
    public List<ApiAction> actions() {
        return ACTIONS;
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        String me = request.user().username();
        try {
            switch (action.op()) {
            case "create_authorisation_token": {
                String name = request.parameter("name").orElse("");
                if (name.length() > 200) {
                    throw ApiException.validation(Map.of("name", List.of("At most 200 characters.")));
                }
                ApiKey key = users.createKey(me, name).orElseThrow();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("token_key", key.tokenKey());
                out.put("token_secret", key.secret());
                out.put("consumer_key", key.consumerKey());
                out.put("name", name);
                return ApiResponse.json(out);
            }
            case "delete_authorisation_token": {
                String token = request.parameter("token_key").orElse("");
                if (token.isEmpty()) {
                    throw ApiException.validation(Map.of("token_key", List.of("This field is required.")));
                }
                if (!users.revokeKey(token, me)) {
                    throw ApiException.notFound("No Token matches the given query.");
                }
                return ApiResponse.deleted();
            }
            default:
                return ApiResponse.json(users.keys(me).stream()
                        .map(k -> Map.of("name", k.name(), "token", k.consumerKey() + ":" + k.tokenKey())).toList());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
