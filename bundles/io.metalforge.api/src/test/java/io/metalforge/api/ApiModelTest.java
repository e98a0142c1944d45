package io.metalforge.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.metalforge.api.db.Migration;
import io.metalforge.api.http.Access;
import io.metalforge.api.http.ApiAction;
import io.metalforge.api.http.ApiResponse;
import io.metalforge.api.platform.ExtensionFamily;
import io.metalforge.api.platform.ExtensionNotInstalledException;
import io.metalforge.api.power.PowerDriverDescriptor;
import io.metalforge.api.power.PowerFailure;

class ApiModelTest {

    @Test
    void notInstalledMessagesNameTheFamilyAndTheExtension() {
        assertEquals("power driver 'acme' is not installed",
                new ExtensionNotInstalledException(ExtensionFamily.POWER_DRIVER, "acme").getMessage());
        assertEquals("OS handler 'rocky' is not installed",
                new ExtensionNotInstalledException(ExtensionFamily.OS_HANDLER, "rocky").getMessage());
        // with the installed names, the message lists the valid choices
        assertEquals("OS handler 'rocky' is not installed; installed: centos, ubuntu",
                new ExtensionNotInstalledException(ExtensionFamily.OS_HANDLER, "rocky", List.of("centos", "ubuntu"))
                        .getMessage());
        assertEquals("power driver 'acme' is not installed; installed: none",
                new ExtensionNotInstalledException(ExtensionFamily.POWER_DRIVER, "acme", List.of()).getMessage());
    }

    @Test
    void powerFailuresCarryMaasPrefixesAndRetryability() {
        PowerFailure auth = new PowerFailure(PowerFailure.Kind.AUTHENTICATION, "bad password");
        assertEquals("Could not authenticate to node's BMC: bad password", auth.getMessage());
        assertTrue(PowerFailure.Kind.CONNECTION.retryable());
        assertTrue(!PowerFailure.Kind.SETTING.retryable());
    }

    @Test
    void crudActionsAreNamedByMethodAndEmptyOpMeansNone() {
        assertEquals("read", ApiAction.crud("GET", "", Access.AUTHENTICATED).name());
        assertEquals("delete", ApiAction.crud("DELETE", "", Access.ADMIN).name());
        assertThrows(IllegalArgumentException.class, () -> ApiAction.crud("PATCH", "", Access.ADMIN));
        ApiAction empty = new ApiAction("x", "POST", "", null, Access.ADMIN);
        assertNull(empty.op());
        assertTrue(empty.restful());
        assertEquals("", empty.doc());
    }

    @Test
    void everyResponseHasAContentTypeEvenDeleted() {
        ApiResponse deleted = ApiResponse.deleted();
        assertEquals(204, deleted.status());
        assertTrue(deleted.contentType().startsWith("text/plain"));
    }

    @Test
    void migrationVersionsStartAtOne() {
        assertThrows(IllegalArgumentException.class, () -> new Migration(0, "x", "select 1"));
    }

    @Test
    void descriptorsCopyTheirFields() {
        List<io.metalforge.api.power.PowerField> fields = new java.util.ArrayList<>();
        PowerDriverDescriptor d = new PowerDriverDescriptor("x", "X", false, false, true, fields);
        fields.add(new io.metalforge.api.power.PowerField("a", "A", true,
                io.metalforge.api.power.PowerField.FieldType.STRING, List.of(), "", io.metalforge.api.power.PowerField.Scope.BMC,
                false));
        assertEquals(0, d.fields().size());
    }
}
