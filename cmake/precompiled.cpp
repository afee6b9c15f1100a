// An empty source: the target it belongs to exists to precompile headers (ParaconHelpers.cmake).
