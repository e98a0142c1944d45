package io.metalforge.example.power.acme.internal;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Component;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerField;
import io.metalforge.api.power.PowerField.Choice;
import io.metalforge.api.power.PowerField.FieldType;
import io.metalforge.api.power.PowerField.Scope;
import io.metalforge.api.power.PowerState;

/**
 * Example vendor driver for an imaginary "ACME" switched PDU: one outlet per machine. It shows the shape of a
 * driver bundle (descriptor, settings validation, secrets, typed failures). The PDU itself is simulated in memory:
 * this bundle exists to prove hot deploy, not to power real hardware.
 */
@Component(property = PowerDriver.PROPERTY_NAME + "=" + AcmePduDriver.NAME)
public class AcmePduDriver implements PowerDriver {

    static final String NAME = "acme-pdu";

    private static final PowerDriverDescriptor DESCRIPTOR = new PowerDriverDescriptor(NAME, "ACME switched PDU",
            true, false, true,
            List.of(new PowerField("power_address", "PDU address", true, FieldType.STRING, List.of(), "", Scope.BMC,
                    false),
                    new PowerField("outlet", "Outlet", true, FieldType.CHOICE,
                            List.of(new Choice("1", "1"), new Choice("2", "2"), new Choice("3", "3"),
                                    new Choice("4", "4")),
                            "1", Scope.NODE, false),
                    new PowerField("power_pass", "PDU password", true, FieldType.PASSWORD, List.of(), "", Scope.BMC,
                            true)));

    /** Simulated outlets: "address/outlet" to on. */
    private final Map<String, Boolean> outlets = new ConcurrentHashMap<>();

    @Override
    public PowerDriverDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        outlets.put(outlet(settings), true);
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        outlets.put(outlet(settings), false);
    }

    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        String key = outlet(settings);
        if (!outlets.getOrDefault(key, false)) {
            throw new PowerFailure(PowerFailure.Kind.ACTION, "outlet is off, nothing to reset");
        }
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        return outlets.getOrDefault(outlet(settings), false) ? PowerState.ON : PowerState.OFF;
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        throw new PowerFailure(PowerFailure.Kind.ACTION, "a PDU cannot choose the boot device");
    }

    private static String outlet(Map<String, String> settings) throws PowerFailure {
        String address = settings.get("power_address");
        String outlet = settings.getOrDefault("outlet", "1");
        String pass = settings.get("power_pass");
        if (address == null || address.isBlank()) {
            throw new PowerFailure(PowerFailure.Kind.SETTING, "power_address is required");
        }
        if (!List.of("1", "2", "3", "4").contains(outlet)) {
            throw new PowerFailure(PowerFailure.Kind.SETTING, "outlet must be 1 to 4");
        }
        if (pass == null || pass.isEmpty()) {
            throw new PowerFailure(PowerFailure.Kind.AUTHENTICATION, "no password given for " + address);
        }
        return address + "/" + outlet;
    }
}
