/**
 * The {@code DeploymentComposer}: curtin's documents, the network (netplan v2 / v1) and storage configuration and
 * the cloud-config of a deployment, from the machine, the image and its OS handler; the operator's templates; the
 * preview in the shell ({@code metalforge:preseed}) and in the API.
 */
package io.metalforge.preseed.internal;
