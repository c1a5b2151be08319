package org.coalitiontracker.contracts;

import io.opentelemetry.api.common.AttributeKey;

/**
 * The attributes by which the spans (and span links) of every service name what they worked on, so that a trace
 * backend finds one event's or one cluster's work across the services by the same key.
 */
public final class TraceAttributes {

    /** The event's id: its CloudEvents {@code ce_id}. */
    public static final AttributeKey<String> EVENT_ID = AttributeKey.stringKey("coalition.event.id");
    /** Its CloudEvents {@code ce_type}. */
    public static final AttributeKey<String> EVENT_TYPE = AttributeKey.stringKey("coalition.event.type");
    /** The cluster's id: its events' key and {@code ce_subject}. */
    public static final AttributeKey<String> CLUSTER_ID = AttributeKey.stringKey("coalition.cluster.id");
    /** A scope of the totals: {@code coalition}, {@code country:GB} and so on. */
    public static final AttributeKey<String> SCOPE = AttributeKey.stringKey("coalition.scope");
    /** The version of a scope's totals. */
    public static final AttributeKey<Long> TOTALS_VERSION = AttributeKey.longKey("coalition.totals.version");

    private TraceAttributes() {
    }
}
