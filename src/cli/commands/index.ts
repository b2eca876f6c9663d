// Each command module registers itself with main's registry when imported.
export {};
