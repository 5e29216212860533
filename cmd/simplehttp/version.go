package main

import "runtime/debug"

// version is the module version the binary was built from: a tag or
// pseudo-version ("v1.2.0", "v0.0.0-20261203061500-abcdef123456+dirty"),
// or "(devel)" followed by the commit when the build recorded one.
func version() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "(devel)"
		var rev, dirty string
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value
			case "vcs.modified":
				if s.Value == "true" {
					dirty = "+dirty"
				}
			}
		}
		if rev != "" {
			v += " " + rev + dirty
		}
	}
	return v
}
