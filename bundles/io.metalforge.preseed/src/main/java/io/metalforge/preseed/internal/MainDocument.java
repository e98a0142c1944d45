package io.metalforge.preseed.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.metalforge.api.deploy.DeployImage;
import io.metalforge.api.deploy.DeploySettings;
import io.metalforge.api.deploy.Machine;
import io.metalforge.api.os.PackageProxy;

/** The rendered operator template, made safe and completed: the last curtin document. */
final class MainDocument {

    /** Settings the region owns; a template must not set them. */
    private static final Set<String> DROPPED = Set.of("power_state", "apt_proxy", "apt_mirrors");
    private static final String GRUB2 = "grub2   grub2/update_nvram  boolean false";

    private MainDocument() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> complete(Templates.Rendered rendered, Machine m, DeployImage image, BaseImage base,
            DeploySettings s) {
        Map<String, Object> doc;
        try {
            doc = Yaml.read(rendered.text());
        } catch (IOException | ClassCastException e) {
            throw new IllegalArgumentException("template " + rendered.name() + " did not render to a YAML mapping: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        DROPPED.forEach(doc::remove);
        Map<String, Object> debconf = section(doc, "debconf_selections", rendered);
        debconf.put("grub2", GRUB2);
        Map<String, Object> late = section(doc, "late_commands", rendered);
        if (m.architecture().startsWith("s390x")) {
            String bootDisk = m.storage().bootDisk() != null ? m.storage().bootDisk()
                    : m.disks().isEmpty() ? "sda" : m.disks().get(0).name();
            late.put("maas_00", List.of("chreipl", "node", "/dev/" + bootDisk));
        }
        if (base.handler().packageProxy() == PackageProxy.YUM && s.httpProxy() != null) {
            late.put("yum_proxy", List.of("curtin", "in-target", "--", "sh", "-c",
                    "echo 'proxy=" + s.httpProxy().replace("'", "") + "' >> /etc/yum.conf"));
        }
        if (image.custom()) {
            late.putAll(CustomImageValidation.commands(base.handler().customImageChecks()));
        }
        return doc;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> doc, String key, Templates.Rendered rendered) {
        Object v = doc.get(key);
        if (v == null) {
            Map<String, Object> fresh = new LinkedHashMap<>();
            doc.put(key, fresh);
            return fresh;
        }
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("template " + rendered.name() + ": " + key + " must be a mapping");
        }
        return (Map<String, Object>) v;
    }
}
