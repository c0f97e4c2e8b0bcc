package dev.gridserve.export;

/** One column of an export: the field's name and whether its values are numbers (for spreadsheets). */
public record Column(String name, boolean numeric) {}
