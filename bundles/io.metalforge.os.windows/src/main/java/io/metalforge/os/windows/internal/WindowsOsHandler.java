package io.metalforge.os.windows.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

import io.metalforge.api.os.OsHandler;
import io.metalforge.api.os.support.BasicOsHandler;
import io.metalforge.api.os.support.ImageFiletypes;
import io.metalforge.api.os.support.OsDescription;

/**
 * Windows: known releases only, written as disk images. Server editions need a product key of five groups of five;
 * the free Hyper-V Server editions do not.
 */
@Component(service = OsHandler.class, property = OsHandler.PROPERTY_NAME + "=" + WindowsOsHandler.NAME,
        configurationPolicy = ConfigurationPolicy.IGNORE)
public class WindowsOsHandler extends BasicOsHandler {

    static final String NAME = "windows";
    private static final Pattern KEY = Pattern.compile("([A-Za-z0-9]{5}-){4}[A-Za-z0-9]{5}");
    private static final Map<String, String> RELEASES = releases();
    private static final Set<String> KEYLESS = Set.of("win2008hvr2", "win2012hv", "win2012hvr2", "win2016hv");

    public WindowsOsHandler() {
        super(OsDescription.of(NAME, "Windows", "win2019").filetypes(ImageFiletypes.DISK_IMAGE).appliesNetworkConfig()
                .architectures("amd64/generic"));
    }

    private static Map<String, String> releases() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("win2008r2", "Server 2008 R2");
        r.put("win2008hvr2", "Hyper-V Server 2008 R2");
        r.put("win2012", "Server 2012");
        r.put("win2012hv", "Hyper-V Server 2012");
        r.put("win2012r2", "Server 2012 R2");
        r.put("win2012hvr2", "Hyper-V Server 2012 R2");
        r.put("win2016", "Server 2016");
        r.put("win2016hv", "Hyper-V Server 2016");
        r.put("win2016nano", "Server 2016 Nano");
        r.put("win2016dc", "Server 2016 Datacenter");
        r.put("win2019", "Server 2019");
        r.put("win2022", "Server 2022");
        r.put("win2025", "Server 2025");
        r.put("win10ent", "10 Enterprise");
        r.put("win11ent", "11 Enterprise");
        return Map.copyOf(r);
    }

    @Override
    public String releaseTitle(String release) {
        String edition = release == null ? null : RELEASES.get(release);
        return edition == null ? release : "Windows \"" + edition + "\"";
    }

    @Override
    public boolean isReleaseSupported(String release) {
        return release != null && RELEASES.containsKey(release);
    }

    @Override
    public List<String> supportedReleases() {
        return RELEASES.keySet().stream().sorted().toList();
    }

    @Override
    public boolean requiresLicenceKey(String release) {
        return !KEYLESS.contains(release);
    }

    @Override
    public boolean isLicenceKeyValid(String release, String key) {
        return key != null && KEY.matcher(key).matches();
    }
}
