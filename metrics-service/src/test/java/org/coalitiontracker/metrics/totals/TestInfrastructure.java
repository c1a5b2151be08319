package org.coalitiontracker.metrics.totals;

import org.coalitiontracker.localinfra.LocalInfraTestResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Every test of this service runs against one real broker and a fresh {@code metrics_test} database. */
@WithTestResource(value = LocalInfraTestResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "metrics_test"))
public class TestInfrastructure {
}
