package io.metalforge.preseed.internal;

import io.metalforge.api.os.TestOsHandlerRegistry;
import io.metalforge.os.centos.internal.CentosOsHandler;
import io.metalforge.os.custom.internal.CustomOsHandler;
import io.metalforge.os.esxi.internal.EsxiOsHandler;
import io.metalforge.os.ol.internal.OracleLinuxOsHandler;
import io.metalforge.os.rhel.internal.RhelOsHandler;
import io.metalforge.os.suse.internal.SuseOsHandler;
import io.metalforge.os.ubuntu.internal.UbuntuOsHandler;
import io.metalforge.os.windows.internal.WindowsOsHandler;

/** The real OS handlers of the distribution, in a registry tests add to and remove from. */
final class TestOsRegistry extends TestOsHandlerRegistry {

    /** The names of {@link #distribution()}, as error messages list them. */
    static final String INSTALLED = "centos, custom, esxi, ol, rhel, suse, ubuntu, windows";

    private TestOsRegistry() {
        super(new UbuntuOsHandler(), new CustomOsHandler(), new CentosOsHandler(), new RhelOsHandler(),
                new OracleLinuxOsHandler(), new SuseOsHandler(), new WindowsOsHandler(), new EsxiOsHandler());
    }

    /** Every OS bundle of the distribution. */
    static TestOsRegistry distribution() {
        return new TestOsRegistry();
    }
}
