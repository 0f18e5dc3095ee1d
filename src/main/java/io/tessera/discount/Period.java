package io.tessera.discount;

/** A calendar period in the project's time zone (weeks start on Monday). */
public enum Period { DAY, WEEK, MONTH }
