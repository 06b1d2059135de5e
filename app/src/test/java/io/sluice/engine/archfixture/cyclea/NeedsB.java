package io.sluice.engine.archfixture.cyclea;

/** With {@code cycleb.NeedsA}, breaks "no package cycles" on purpose; lives in test sources only. */
public class NeedsB {
    io.sluice.engine.archfixture.cycleb.NeedsA other;
}
