# `cmake --install` layout and the CPack .deb (packaging/README.md).
# install/cpack need only what they install (vantage), not every test: a
# demo build packages without building the suite.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
install(TARGETS vantage RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES scenarios/routeros-api-hardening.json scenarios/examples-tcp-reachability.json
              scenarios/schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/vantage/scenarios)
install(DIRECTORY policies/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vantage/policies
        FILES_MATCHING PATTERN "*.json")
install(DIRECTORY lab/configs/ DESTINATION ${CMAKE_INSTALL_DATADIR}/vantage/lab/configs
        FILES_MATCHING PATTERN "*.json")
install(FILES packaging/man/vantage.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES packaging/man/vantage-scenario.5 DESTINATION ${CMAKE_INSTALL_MANDIR}/man5)
# bash-completion loads completions/NAME on demand; zsh reads site-functions/_NAME.
install(FILES packaging/completion/vantage.bash
        DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME vantage)
install(FILES packaging/completion/_vantage DESTINATION ${CMAKE_INSTALL_DATADIR}/zsh/vendor-completions)

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME vantage)
set(CPACK_PACKAGE_VENDOR "vantage")
set(CPACK_PACKAGE_CONTACT "vantage maintainers <vantage@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "verify from the network that a RouterOS management API is hardened")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
# Depends from the binary's real shared libraries (dpkg-shlibdeps), not a hand list.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# setcap grants the optional capabilities (man vantage, PERMISSIONS).
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libcap2-bin, bash-completion")
set(CPACK_STRIP_FILES ON)
include(CPack)
