"""Reading the cgroup layout: mountinfo and /proc/<pid>/cgroup parsing."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from atp_core.sandbox._cgroup import (
    CgroupMount,
    cgroup_dir,
    parse_mountinfo,
    parse_proc_cgroup,
)

HYBRID = """\
31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,name=systemd
41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw
"""


def test_mountinfo_lists_cgroup_hierarchies_with_their_controllers() -> None:
    """Only cgroup mounts are kept; v1 controllers come from the super options."""
    mounts = parse_mountinfo(HYBRID)
    assert [(m.version, str(m.mountpoint), sorted(m.controllers)) for m in mounts] == [
        (1, "/sys/fs/cgroup/cpu,cpuacct", ["cpu", "cpuacct"]),
        (1, "/sys/fs/cgroup/memory", ["memory"]),
        (1, "/sys/fs/cgroup/systemd", []),
        (2, "/sys/fs/cgroup/unified", []),
    ]


def test_mountinfo_unescapes_octal_sequences_in_paths() -> None:
    """A space in a mount point is written as \\040 and read back as a space."""
    line = r"9 1 0:9 /a\040b /mnt/c\040g rw - cgroup2 cgroup2 rw"
    (mount,) = parse_mountinfo(line)
    assert (mount.root, mount.mountpoint) == ("/a b", Path("/mnt/c g"))


def test_proc_cgroup_maps_each_controller_and_v2_to_its_path() -> None:
    """Joint controllers share a path; the v2 line is keyed by the empty string."""
    text = "4:memory:/process_api/abc\n2:cpu,cpuacct:/\n0::/user.slice\n"
    assert parse_proc_cgroup(text) == {
        "memory": "/process_api/abc", "cpu": "/", "cpuacct": "/", "": "/user.slice"
    }


segment = st.text(alphabet="abcdefgh0123456789-_.", min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..")
)


@given(root=st.lists(segment, max_size=3), rest=st.lists(segment, max_size=3))
def test_cgroup_dir_places_paths_below_the_mount_root(root: list[str], rest: list[str]) -> None:
    """A cgroup under the mount's root appears below the mount point; others are not here."""
    mount = CgroupMount(version=2, root="/" + "/".join(root), mountpoint=Path("/sys/fs/cgroup"),
                        controllers=frozenset())
    inside = "/" + "/".join([*root, *rest])
    assert cgroup_dir(mount, inside) == Path("/sys/fs/cgroup", *rest)
    if root:
        assert cgroup_dir(mount, "/" + root[0] + "x-elsewhere") is None
