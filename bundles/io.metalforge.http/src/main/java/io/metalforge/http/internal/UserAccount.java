package io.metalforge.http.internal;

/**
 * A user of the API.
 *
 * @param username unique name
 * @param email    e-mail address, may be empty
 * @param admin    administrator (MAAS "superuser")
 * @param active   inactive users are refused with 403
 */
record UserAccount(String username, String email, boolean admin, boolean active) {
}
