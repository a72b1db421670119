pytest_plugins = [
    "tests.fixtures.etcd",
    "tests.fixtures.postgres",
    "tests.fixtures.daemon",
    "tests.fixtures.iam",
    "tests.fixtures.fleet",
    "tests.fixtures.libvirtd",
]
