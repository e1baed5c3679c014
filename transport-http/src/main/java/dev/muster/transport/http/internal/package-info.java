/**
 * Classes that are public only so that {@link java.util.ServiceLoader} can create them: the
 * plug-ins this module registers under their names. They are not API: use the names
 * ({@code transport=http}) through the coordinator's builder, or the public classes they create. They may
 * change or move without notice.
 */
package dev.muster.transport.http.internal;
