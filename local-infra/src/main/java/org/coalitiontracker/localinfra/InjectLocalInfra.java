package org.coalitiontracker.localinfra;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a field of a test that {@link LocalInfraTestResource} fills in: a {@link KafkaBroker} (to stop and restart
 * it) or the {@link DevelopmentTokens} whose public key the service trusts.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectLocalInfra {
}
