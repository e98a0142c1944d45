/**
 * The Windows OS handler ({@code metalforge.os=windows}): known releases only, written as disk images; server
 * editions need a product key, the Hyper-V Server editions do not. Built on the API's handler SDK
 * ({@code io.metalforge.api.os.support}).
 */
package io.metalforge.os.windows.internal;
