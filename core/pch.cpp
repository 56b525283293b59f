// The translation unit that builds the precompiled header of VANTAGE_QUICK_BUILD
// (CMakeLists.txt); it holds nothing else.
