/**
 * The CentOS OS handler ({@code metalforge.os=centos}): its releases, titles and the facts the platform asks an
 * OS handler, built on the API's handler SDK ({@code io.metalforge.api.os.support}).
 */
package io.metalforge.os.centos.internal;
