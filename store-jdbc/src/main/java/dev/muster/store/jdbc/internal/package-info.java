/**
 * Classes that are public only so that {@link java.util.ServiceLoader} can create them: the
 * plug-ins this module registers under their names. They are not API: use the name
 * ({@code store=jdbc}) through the coordinator's builder, or {@link dev.muster.store.jdbc.JdbcStore#open(java.util.Map)}.
 * They may change or move without notice.
 */
package dev.muster.store.jdbc.internal;
