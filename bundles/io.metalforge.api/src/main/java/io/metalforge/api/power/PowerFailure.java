package io.metalforge.api.power;

/**
 * A typed power failure. The kind decides retries: {@link Kind#CONNECTION} and {@link Kind#ACTION} may be retried,
 * the others are fatal at once. Messages never contain secrets.
 */
public class PowerFailure extends Exception {
    private static final long serialVersionUID = 1L;

    /** Failure kinds with MAAS's operator-facing message prefixes. */
    public enum Kind {
        AUTHENTICATION("Could not authenticate to node's BMC: ", false),
        CONNECTION("Could not contact node's BMC: ", true),
        SETTING("Missing or invalid power setting: ", false),
        MISSING_TOOL("Missing power tool: ", false),
        ACTION("Failed to complete power action: ", true),
        /**
         * The BMC answered every request but never reached the target state; MAAS reports this without a prefix:
         * "Failed to power &lt;id&gt;. BMC never transitioned from &lt;s&gt; to &lt;target&gt;."
         */
        NEVER_TRANSITIONED("", false);

        private final String prefix;
        private final boolean retryable;

        Kind(String prefix, boolean retryable) {
            this.prefix = prefix;
            this.retryable = retryable;
        }

        public String prefix() {
            return prefix;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final Kind kind;
    private final String field;

    public PowerFailure(Kind kind, String detail) {
        super(kind.prefix() + detail);
        this.kind = kind;
        this.field = null;
    }

    public PowerFailure(Kind kind, String detail, Throwable cause) {
        super(kind.prefix() + detail, cause);
        this.kind = kind;
        this.field = null;
    }

    private PowerFailure(String field, String detail) {
        super(Kind.SETTING.prefix() + detail);
        this.kind = Kind.SETTING;
        this.field = field;
    }

    /**
     * A setting that can never work, named so that the API can answer with a field error as MAAS does. The detail
     * must not quote the value (it may be a secret).
     *
     * @since 1.1
     */
    public static PowerFailure invalidSetting(String field, String detail) {
        return new PowerFailure(field, detail);
    }

    public Kind kind() {
        return kind;
    }

    /**
     * The setting at fault, when one is: a field of the driver's schema.
     *
     * @since 1.1
     */
    public java.util.Optional<String> field() {
        return java.util.Optional.ofNullable(field);
    }
}
