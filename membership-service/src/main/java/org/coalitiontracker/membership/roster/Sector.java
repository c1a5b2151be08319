package org.coalitiontracker.membership.roster;

/** The controlled vocabulary of industrial sectors a cluster works in. */
public enum Sector {
    STEEL,
    CEMENT,
    CHEMICALS,
    REFINING,
    PETROCHEMICALS,
    HYDROGEN,
    AMMONIA,
    POWER,
    RENEWABLES,
    CCS,
    GAS,
    PORT_LOGISTICS,
    SHIPPING,
    AVIATION_FUELS,
    BATTERIES,
    MANUFACTURING,
    ALUMINIUM,
    PAPER,
    RECYCLING
}
