package io.metalforge.api.power;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A BMC type (ipmi, redfish, webhook, manual, ...). A bundle adds one by registering an implementation as an OSGi
 * service with {@link #PROPERTY_NAME} set to {@code descriptor().name()}.
 *
 * <h2>Contract</h2>
 * <ul>
 * <li>{@code settings} holds the values of the descriptor's fields by name; the driver validates them and throws
 * a {@link PowerFailure} of kind {@code SETTING} naming the bad field (never its value when secret).</li>
 * <li>Each operation performs one attempt and returns when the BMC accepted the request; the platform's power
 * service does the waiting, querying and retrying around it, and never calls a driver twice at once for the same
 * BMC.</li>
 * <li>Every operation returns or fails within a bounded time; a driver enforces its own I/O timeouts.</li>
 * <li>Failures are classified by {@link PowerFailure.Kind}; secrets never appear in messages or logs.</li>
 * <li>Implementations are thread-safe: different BMCs are driven concurrently.</li>
 * </ul>
 */
@ConsumerType
public interface PowerDriver {

    /** Service property that carries the driver name. */
    String PROPERTY_NAME = "metalforge.power.driver";

    /**
     * Settings key under which the power service passes the machine's id (MAAS's {@code system_id}) to every
     * operation, for drivers that send it (webhook) or log it (manual). It is not a field of any schema.
     */
    String SYSTEM_ID = "system_id";

    /** The driver's name, settings schema and capabilities. */
    PowerDriverDescriptor descriptor();

    void powerOn(Map<String, String> settings) throws PowerFailure;

    void powerOff(Map<String, String> settings) throws PowerFailure;

    /** Hard reset of a machine that is on. */
    void powerReset(Map<String, String> settings) throws PowerFailure;

    /** The current state; {@link PowerState#UNKNOWN} for drivers that cannot query. */
    PowerState query(Map<String, String> settings) throws PowerFailure;

    /** Make the next boot (only) a network (PXE) boot. */
    void setPxeBootOnce(Map<String, String> settings) throws PowerFailure;

    /**
     * Checks settings when they are saved, beyond what the schema says (lengths, formats, combinations the BMC
     * protocol imposes), so that a setting that can never work is refused at once instead of failing every later
     * operation. {@code settings} were already checked against {@link #descriptor()} and carry its defaults.
     *
     * @throws PowerFailure from {@link PowerFailure#invalidSetting} naming the first bad field
     * @since 1.1
     */
    default void validate(java.util.Map<String, String> settings) throws PowerFailure {
        // the schema's checks are enough for drivers that add none
    }
}
