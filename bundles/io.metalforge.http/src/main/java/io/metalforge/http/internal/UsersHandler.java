package io.metalforge.http.internal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

/** {@code users/}: list, create (admin only, as in MAAS), and {@code whoami}, which clients use to check a key. */
// activated on its first request: the API routes by these properties until then
@Component(property = {ApiHandler.NAME_PROPERTY + "=UsersHandler", ApiHandler.PATH_PROPERTY + "=users/"},
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class UsersHandler implements ApiHandler {

    private static final List<ApiAction> ACTIONS = List.of(
            ApiAction.crud("GET", "List users\n\nList the users of this server.\n\n", Access.AUTHENTICATED),
            ApiAction.crud("POST", "Create a user\n\nCreate a MAAS user account (administrators only). Users sign "
                    + "API requests with API keys; passwords are not used.\n\n"
                    + ":param username: Required. Identifier-style username for the new user.\n:type username: string\n\n"
                    + ":param email: Required. Email address for the new user.\n:type email: string\n\n"
                    + ":param password: Optional. Accepted for compatibility and ignored.\n:type password: string\n\n"
                    + ":param is_superuser: Optional. Whether the new user is an administrator (0 or 1).\n"
                    + ":type is_superuser: boolean\n\n", Access.ADMIN),
            ApiAction.op("GET", "whoami", "Retrieve logged-in user\n\nReturns the currently logged-in user.\n\n",
                    Access.AUTHENTICATED));

    private final UserStore users;

    @Activate
    public UsersHandler(@Reference UserStore users) {
        this.users = users;
    }

    @Override
    public String name() {
        return "UsersHandler";
    }

    @Override
    public String doc() {
        return "Manage the user accounts of this MAAS.";
    }

    @Override
    public String path() {
        return "users/";
    }

    @Override
    public List<ApiAction> actions() {
        return ACTIONS;
    }

    static Map<String, Object> toJson(UserAccount u) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("username", u.username());
        out.put("email", u.email());
        out.put("is_superuser", u.admin());
        out.put("is_local", true);
        out.put("resource_uri", "/MAAS/api/2.0/users/" + u.username() + "/");
        return out;
    }

    @Override
    public ApiResponse handle(ApiAction action, ApiRequest request) throws ApiException {
        try {
            if ("whoami".equals(action.op())) {
                return ApiResponse.json(toJson(users.user(request.user().username())
                        .orElseThrow(() -> ApiException.notFound("No User matches the given query."))));
            }
            if (action.method().equals("GET")) {
                return ApiResponse.json(users.users().stream().map(UsersHandler::toJson).toList());
            }
            return create(request);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private ApiResponse create(ApiRequest request) throws ApiException, SQLException {
        Map<String, List<String>> errors = new LinkedHashMap<>();
        String username = request.parameter("username").orElse("").strip();
        String email = request.parameter("email").orElse("").strip();
        if (username.isEmpty()) {
            errors.put("username", List.of("This field is required."));
        } else if (!UserStore.USERNAME.matcher(username).matches()) {
            errors.put("username", List.of("Enter a valid username. This value may contain only letters, numbers, "
                    + "and @/./+/-/_ characters."));
        }
        if (email.isEmpty()) {
            errors.put("email", List.of("This field is required."));
        } else if (email.length() > 254 || !email.matches("[^@\\s]+@[^@\\s]+")) {
            errors.put("email", List.of("Enter a valid email address."));
        }
        String superuser = request.parameter("is_superuser").orElse("0").strip().toLowerCase(Locale.ROOT);
        if (!List.of("0", "1", "true", "false", "").contains(superuser)) {
            errors.put("is_superuser", List.of("Invalid boolean value."));
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        boolean admin = superuser.equals("1") || superuser.equals("true");
        if (!users.createUser(username, email, admin)) {
            throw ApiException.validation(Map.of("username", List.of("User with this Username already exists.")));
        }
        return ApiResponse.json(toJson(users.user(username).orElseThrow()));
    }
}
