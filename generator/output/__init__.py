"""Write the built site: new and changed files into a staging folder beside the output,
then put them in place (see `Staging` for the three ways: nothing, a journaled patch,
or the whole-folder swap described here).

Only this module writes files. New files are created only inside its staging folder:
every path is checked to name a file inside it (no '..', no leading '/'), folders are
made by this module, and every file is created new (O_EXCL | O_NOFOLLOW), so no symlink
is ever followed when writing. A patch moves files into the output only through folders
checked to be real folders of it. Files whose bytes did not change are not written and
keep their modification time. The folder is created with the usual permissions (0777
less the umask), like any folder `mkdir` makes.

The swap. The new site is complete in `.NAME.staging-PID-TOKEN` (beside the output, so
on the same file system) before the output is touched. On Linux it is then exchanged
with the output in one atomic step, `renameat2(RENAME_EXCHANGE)`: at every instant the
output path holds the whole old site or the whole new one, never a mix and never
nothing, whatever happens to the process. Where that call is missing (macOS, Windows,
some network file systems) two renames are used, output -> `.NAME.old-PID-TOKEN` then
staging -> output; the output path is missing only between those two system calls
(microseconds), and a build killed right there leaves the previous site whole in
`.NAME.old-…`, which the next build puts back before anything else. (A symlinked
output swapped by one rename was rejected: the output folder would become a link,
which static hosts, upload actions and rsync treat differently from a folder.)

Leftovers. A killed build (SIGKILL, power loss) can leave `.NAME.staging-…` or
`.NAME.old-…` folders beside the output. `clean_leftovers` removes those whose process
is gone, after putting the previous site back if an interrupted swap took it away.

Interruptions. Ctrl-C while files are written removes the staging folder and raises
KeyboardInterrupt; the previous site is untouched. SIGINT and SIGTERM are held back while
the staging folder is removed and during the swap, and delivered when that is done: a
Ctrl-C from the swap on raises KeyboardInterrupt("the new site is complete and in place").
"""

from .folders import (
    COMPLETE,
    JOURNAL,
    MARKER,
    MARKER_TEXT,
    check_output_folder,
    clean_leftovers,
    has_marker,
)
from .staging import Staged, Staging, write_site

__all__ = ["COMPLETE", "JOURNAL", "MARKER", "MARKER_TEXT", "Staged", "Staging",
           "check_output_folder", "clean_leftovers", "has_marker", "write_site"]
