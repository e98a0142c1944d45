package io.metalforge.api.http;

import java.util.Objects;

/**
 * One action of a resource, as listed in describe: a CRUD method ({@code op == null}: read=GET, create=POST,
 * update=PUT, delete=DELETE) or a named operation selected by {@code op}.
 *
 * @param name   action name shown to clients ("read", "create", "is_importing")
 * @param method HTTP method
 * @param op     the op parameter, or null for a plain CRUD action
 * @param doc    documentation; create/update docs carry ":param NAME:" lines, which the maas CLI needs
 * @param access who may call it
 */
public record ApiAction(String name, String method, String op, String doc, Access access) {

    public ApiAction {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(access, "access");
        doc = doc == null ? "" : doc;
        op = op == null || op.isEmpty() ? null : op;
    }

    /** A CRUD action: read=GET, create=POST, update=PUT, delete=DELETE. */
    public static ApiAction crud(String method, String doc, Access access) {
        String name = switch (method) {
            case "GET" -> "read";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "DELETE" -> "delete";
            default -> throw new IllegalArgumentException("no CRUD action for " + method);
        };
        return new ApiAction(name, method, null, doc, access);
    }

    /** A named operation; GET for idempotent ones, POST otherwise. */
    public static ApiAction op(String method, String op, String doc, Access access) {
        return new ApiAction(op, method, op, doc, access);
    }

    /** Whether describe marks it restful (no op). */
    public boolean restful() {
        return op == null;
    }

    // equals and hashCode written out, with the same meaning as a record's: the generated ones are linked at their
    // first call by spinning method-handle classes at run time (java.lang.runtime.ObjectMethods), dozens for this
    // record, which made the first request of every extended resource (an import's POST, say) pay for class
    // generation and for compiling the bytecode library that generates them.

    @Override
    public boolean equals(Object o) {
        return o instanceof ApiAction a && name.equals(a.name) && method.equals(a.method) && Objects.equals(op, a.op)
                && doc.equals(a.doc) && access.equals(a.access);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, method, op, doc, access);
    }
}
