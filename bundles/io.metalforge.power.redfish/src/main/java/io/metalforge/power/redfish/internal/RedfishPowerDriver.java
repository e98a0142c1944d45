package io.metalforge.power.redfish.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerFailure.Kind;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerSettings;
import io.metalforge.api.power.PowerState;

/**
 * MAAS's Redfish power type (§7.4). on = query, ForceOff if on (and wait until off), one-time PXE boot, On;
 * off = ForceOff if not off, one-time PXE boot; reset = one-time PXE boot, GracefulRestart. The power service waits
 * for the final state.
 */
@Component(property = PowerDriver.PROPERTY_NAME + "=" + RedfishPowerDriver.NAME,
        configurationPid = RedfishPowerDriver.PID)
@Designate(ocd = RedfishPowerDriver.Config.class)
public class RedfishPowerDriver implements PowerDriver {

    // Keys are snake_case, as MAAS names its settings: Declarative Services reads a method a__b() as the key a_b
    @ObjectClassDefinition(name = "Metalforge Redfish power driver")
    @interface Config {
        @AttributeDefinition(description = "Timeout of one HTTP request, in seconds.")
        int request__timeout() default 30;

        @AttributeDefinition(description = "Backoff unit in milliseconds: retries wait (2^n-1) units (MAAS: 500).")
        int backoff__unit__ms() default 500;
    }

    static final String NAME = "redfish";
    /** The configuration PID operators write (deploy/io.metalforge.power.redfish.cfg); see docs/POWER.md. */
    static final String PID = "io.metalforge.power.redfish";
    static final String SYSTEMS = "redfish/v1/Systems";
    /** Redfish ids are path segments: letters, digits and a few marks, never "/" or "..". */
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9_.:@+-]{1,128}");

    static final PowerDriverDescriptor DESCRIPTOR = new PowerDriverDescriptor(NAME, "Redfish", true, false, true,
            List.of(new PowerField("power_address", "Redfish address", true, FieldType.STRING, List.of(), "",
                    Scope.BMC, false),
                    new PowerField("power_user", "Redfish user", true, FieldType.STRING, List.of(), "", Scope.BMC,
                            false),
                    new PowerField("power_pass", "Redfish password", true, FieldType.PASSWORD, List.of(), "",
                            Scope.BMC, true),
                    new PowerField("node_id", "Node ID", false, FieldType.STRING, List.of(), "", Scope.NODE,
                            false)));

    private final Duration timeout;
    private final Duration backoffUnit;

    @Activate
    public RedfishPowerDriver(Config config) {
        this(Duration.ofSeconds(config.request__timeout()), Duration.ofMillis(config.backoff__unit__ms()));
    }

    RedfishPowerDriver(Duration timeout, Duration backoffUnit) {
        this.timeout = timeout;
        this.backoffUnit = backoffUnit;
    }

    @Override
    public PowerDriverDescriptor descriptor() {
        return DESCRIPTOR;
    }

    /** An address no request could be sent to is refused when the settings are saved. */
    @Override
    public void validate(Map<String, String> settings) throws PowerFailure {
        RedfishClient.baseOf(settings.get("power_address"));
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        Bmc bmc = connect(settings);
        if (bmc.state() == PowerState.ON) {
            bmc.reset("ForceOff");
            bmc.waitFor(PowerState.OFF);
        }
        bmc.setPxeBootOnce();
        bmc.reset("On");
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        Bmc bmc = connect(settings);
        if (bmc.state() != PowerState.OFF) {
            bmc.reset("ForceOff");
        }
        bmc.setPxeBootOnce();
    }

    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        Bmc bmc = connect(settings);
        bmc.setPxeBootOnce();
        bmc.reset("GracefulRestart");
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        return connect(settings).state();
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        connect(settings).setPxeBootOnce();
    }

    private Bmc connect(Map<String, String> settings) throws PowerFailure {
        Map<String, String> s = PowerSettings.resolve(DESCRIPTOR, settings);
        RedfishClient client = new RedfishClient(RedfishClient.baseOf(s.get("power_address")), s.get("power_user"),
                s.get("power_pass"), timeout, backoffUnit);
        String nodeId = s.getOrDefault("node_id", "");
        if (nodeId.isEmpty()) {
            nodeId = discoverNodeId(client);
        } else if (!NODE_ID.matcher(nodeId).matches()) {
            throw new PowerFailure(Kind.SETTING, "node_id must be a Redfish id (letters, digits, _ . : @ + -)");
        }
        return new Bmc(client, SYSTEMS + "/" + nodeId);
    }

    /** MAAS takes the basename of the first member of the Systems collection. */
    static String discoverNodeId(RedfishClient client) throws PowerFailure {
        JsonNode members = body(client.get(SYSTEMS), SYSTEMS).path("Members");
        String id = members.path(0).path("@odata.id").asText("");
        String trimmed = id.endsWith("/") ? id.substring(0, id.length() - 1) : id;
        String nodeId = trimmed.substring(trimmed.lastIndexOf('/') + 1);
        if (nodeId.isEmpty() || !NODE_ID.matcher(nodeId).matches()) {
            throw new PowerFailure(Kind.ACTION, "the BMC lists no usable system under /" + SYSTEMS);
        }
        return nodeId;
    }

    private static JsonNode body(RedfishClient.Reply reply, String what) throws PowerFailure {
        if (reply.body() == null || !reply.body().isObject()) {
            throw new PowerFailure(Kind.ACTION, "the BMC answered " + what + " without a JSON object");
        }
        return reply.body();
    }

    /** One ComputerSystem of one BMC. */
    private final class Bmc {
        private final RedfishClient client;
        private final String system;

        Bmc(RedfishClient client, String system) {
            this.client = client;
            this.system = system;
        }

        /**
         * The power state; transitional states that say nothing (Reset, Unknown, none) are asked again up to 7
         * times with backoff, then the state is {@link PowerState#ERROR}.
         */
        PowerState state() throws PowerFailure {
            for (int attempt = 0; attempt < 7; attempt++) {
                if (attempt > 0) {
                    sleep(backoffUnit.toMillis() * ((1L << attempt) - 1));
                }
                JsonNode power = body(client.get(system), system).path("PowerState");
                switch (power.asText("")) {
                    case "On", "Paused", "PoweringOff":
                        return PowerState.ON;
                    case "Off", "PoweringOn":
                        return PowerState.OFF;
                    default:
                        break; // Reset, Unknown or missing: ask again
                }
            }
            return PowerState.ERROR;
        }

        void reset(String type) throws PowerFailure {
            ObjectNode body = JsonNodeFactory.instance.objectNode().put("ResetType", type);
            client.post(system + "/Actions/ComputerSystem.Reset", body);
        }

        /** After ForceOff, before On: the BMC changes state asynchronously. */
        void waitFor(PowerState target) throws PowerFailure {
            for (int attempt = 0; attempt < 7; attempt++) {
                if (state() == target) {
                    return;
                }
                sleep(backoffUnit.toMillis() * ((1L << (attempt + 1)) - 1));
            }
            throw new PowerFailure(Kind.ACTION, "the system did not reach " + target.name().toLowerCase()
                    + " in time");
        }

        /**
         * Boot override Once/Pxe, on the settings object when the system names one, with If-Match of a fresh
         * etag.
         */
        void setPxeBootOnce() throws PowerFailure {
            // The etag also covers PowerState, which changes on its own after a reset: on 412, GET and try again.
            for (int attempt = 1;; attempt++) {
                try {
                    patchBootOnce();
                    return;
                } catch (RedfishClient.StaleEtag stale) {
                    if (attempt == 3) {
                        throw stale;
                    }
                }
            }
        }

        private void patchBootOnce() throws PowerFailure {
            RedfishClient.Reply systemReply = client.get(system);
            JsonNode current = body(systemReply, system);
            String target = current.path("@Redfish.Settings").path("SettingsObject").path("@odata.id").asText("");
            RedfishClient.Reply reply = target.isEmpty() ? systemReply : client.get(target);
            String etag = reply.body() == null ? "" : reply.body().path("@odata.etag").asText("");
            if (etag.isEmpty()) {
                etag = reply.etag().orElse("");
            }
            ObjectNode patch = JsonNodeFactory.instance.objectNode();
            patch.putObject("Boot").put("BootSourceOverrideEnabled", "Once").put("BootSourceOverrideTarget", "Pxe");
            client.patch(target.isEmpty() ? system : target, patch, etag.isEmpty() ? null : etag);
        }
    }

    private static void sleep(long millis) throws PowerFailure {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PowerFailure(Kind.CONNECTION, "interrupted");
        }
    }
}
