// Each command module registers itself with main's registry when imported.
import './logql';
import './normalize';
import './report';
export {};
