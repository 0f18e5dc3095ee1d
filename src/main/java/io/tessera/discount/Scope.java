package io.tessera.discount;

public enum Scope { ORDER, ITEMS, EACH_UNIT, CHEAPEST, MOST_EXPENSIVE }
