package org.coalitiontracker.membership;

import org.coalitiontracker.localinfra.LocalInfraTestResource;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;

/** Every test of this service runs against one real broker and a fresh {@code membership_test} database. */
@WithTestResource(value = LocalInfraTestResource.class, scope = TestResourceScope.GLOBAL, initArgs = @ResourceArg(name = "database", value = "membership_test"))
public class TestInfrastructure {
}
