package io.metalforge.http.internal;

import java.sql.SQLException;
import java.util.List;

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

/** {@code users/{username}/}: read, delete (admin only; an administrator cannot delete their own account). */
// activated on its first request: the API routes by these properties until then
@Component(property = {ApiHandler.NAME_PROPERTY + "=UserHandler", ApiHandler.PATH_PROPERTY + "=users/{username}/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class UserHandler implements ApiHandler {

    private static final List<ApiAction> ACTIONS = List.of(
            ApiAction.crud("GET", "Retrieve user details\n\nRead a user by name.\n\n", Access.AUTHENTICATED),
            ApiAction.crud("DELETE", "Delete a user\n\nDelete a user and their API keys (administrators only).\n\n",
                    Access.ADMIN));

    private final UserStore users;

    @Activate
    public UserHandler(@Reference UserStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "UserHandler";
    }

    @Override
    public String doc() {
        return "Manage a user account.";
    }

    @Override
    public String path() {
        return "users/{username}/";
    }

    @Override
    public List<ApiAction> actions() {
        return ACTIONS;
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        String username = request.pathParameters().get("username");
        try {
            UserAccount user = users.user(username)
                    .orElseThrow(() -> ApiException.notFound("No User matches the given query."));
            if (action.method().equals("GET")) {
                return ApiResponse.json(UsersHandler.toJson(user));
            }
            if (user.username().equals(request.user().username())) {
                throw ApiException.badRequest("You cannot delete your own account.");
            }
            users.deleteUser(username);
            return ApiResponse.deleted();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
