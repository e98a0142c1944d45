/**
 * The metadata service installing machines read under {@code /MAAS/metadata/}: the preseed, meta-data and user-data
 * (curtin's and the installed system's), status events, signal and netboot_off, each route signed with the node's
 * token. It owns no data: it answers from {@code MachineService} and registers its routes as {@code ApiHandler}s
 * with {@code metalforge.api=metadata} ({@link io.metalforge.metadata.internal.MetadataRoutes}).
 */
package io.metalforge.metadata.internal;
