package io.metalforge.api.http;

/**
 * The caller of a request.
 *
 * @param username user name; "" for anonymous
 * @param admin    whether the user is an administrator
 */
public record ApiUser(String username, boolean admin) {

    public static final ApiUser ANONYMOUS = new ApiUser("", false);

    public boolean anonymous() {
        return username.isEmpty();
    }
}
