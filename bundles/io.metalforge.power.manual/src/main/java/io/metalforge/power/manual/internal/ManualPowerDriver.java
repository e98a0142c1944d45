package io.metalforge.power.manual.internal;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.power.PowerDriver;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;
import io.metalforge.api.power.PowerSettings;
import io.metalforge.api.power.PowerState;

/**
 * MAAS's "manual" power type (§7.7): the operator switches the machine; operations only say so, and the state is
 * unknown. The power service does not wait or retry for it because it is not queryable.
 */
@Component(property = PowerDriver.PROPERTY_NAME + "=" + ManualPowerDriver.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class ManualPowerDriver implements PowerDriver {

    static final String NAME = "manual";
    static final PowerDriverDescriptor DESCRIPTOR = new PowerDriverDescriptor(NAME, "Manual", false, false, false,
            List.of());

    private static final System.Logger LOG = System.getLogger(ManualPowerDriver.class.getName());

    private final System.Logger log;

    public ManualPowerDriver() {
        this(LOG);
    }

    ManualPowerDriver(System.Logger log) {
        this.log = log;
    }

    @Override
    public PowerDriverDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public void powerOn(Map<String, String> settings) throws PowerFailure {
        tell("power on", settings);
    }

    @Override
    public void powerOff(Map<String, String> settings) throws PowerFailure {
        tell("power off", settings);
    }

    @Override
    public void powerReset(Map<String, String> settings) throws PowerFailure {
        tell("reset", settings);
    }

    @Override
    public PowerState query(Map<String, String> settings) throws PowerFailure {
        PowerSettings.resolve(DESCRIPTOR, settings);
        return PowerState.UNKNOWN;
    }

    @Override
    public void setPxeBootOnce(Map<String, String> settings) throws PowerFailure {
        tell("set the next boot to PXE on", settings);
    }

    /** The message MAAS logs: "You need to power on &lt;id&gt; manually". */
    static String message(String what, Map<String, String> settings) {
        return "You need to " + what + " " + settings.getOrDefault(SYSTEM_ID, "the machine") + " manually";
    }

    private void tell(String what, Map<String, String> settings) throws PowerFailure {
        PowerSettings.resolve(DESCRIPTOR, settings);
        log.log(Level.INFO, message(what, settings));
    }
}
