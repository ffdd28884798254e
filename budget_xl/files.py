"""Paths on the way in and out, checked before anything opens them: a FIFO would block every
command in open(), a symlink loop or an unreadable folder would surface as an English OSError.
Every refusal is one Chinese sentence; `os_reason` says in Chinese what an OSError means."""
from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from .errors import InputError

_REASONS = {
    errno.ENOENT: "不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ELOOP: "是循环的符号链接",
    errno.ENAMETOOLONG: "路径或文件名过长",
    errno.EISDIR: "是文件夹",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EIO: "读写出错（磁盘或网络故障）",
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EROFS: "所在位置只读",
    errno.EMFILE: "同时打开的文件太多",
    errno.ENFILE: "同时打开的文件太多",
    errno.EEXIST: "已存在",
    errno.EINVAL: "名称无效",
    errno.EFBIG: "文件太大",
    errno.EBUSY: "正被占用",
    errno.ETXTBSY: "正被占用",
    errno.ENXIO: "设备不存在",
    errno.ENODEV: "设备不存在",
    errno.EXDEV: "不在同一磁盘上",
}


def os_reason(exc: OSError) -> str:
    """What an OSError means, in Chinese (its own text is English)."""
    return _REASONS.get(exc.errno or 0, f"系统错误 {exc.errno}" if exc.errno else "系统错误")


def input_file(path: Path, what: str = "文件") -> None:
    """Refuse, in one sentence, anything but a regular file this process may read: a missing file,
    a dangling or looping symlink, a folder, a FIFO or device (opening one would block or never
    end), a file or folder without read permission."""
    shown = printable(str(path))
    try:
        st = os.stat(path)
    except ValueError:  # a NUL in the name
        raise InputError(f"{what}名中含有不可见字符（NUL），无法打开：{shown}。") from None
    except OSError as exc:
        if exc.errno == errno.ENOENT and os.path.lexists(path):
            raise InputError(f"找不到{what}：{shown} 是一个符号链接，它指向的位置不存在。") from None
        if exc.errno == errno.ENOENT:
            raise InputError(f"找不到{what}：{shown}。请检查文件名和路径。") from None
        if exc.errno == errno.ELOOP:
            raise InputError(f"{shown} 是循环的符号链接（链接最终指向自己），找不到实际的{what}：请给出{what}本身。") from None
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise InputError(f"没有权限进入 {printable(str(path.parent))} 所在的文件夹，无法读取 {printable(path.name)}：请检查文件夹权限。") from None
        raise InputError(f"无法读取{what} {shown}：{os_reason(exc)}。") from None
    if stat.S_ISDIR(st.st_mode):
        raise InputError(f"{shown} 是文件夹，不是{what}：请给出一个{what}。")
    if not stat.S_ISREG(st.st_mode):
        raise InputError(f"{shown} 不是普通文件（是管道、设备或套接字等特殊文件），不能作为{what}读取：请给出{what}本身。")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno in (errno.EACCES, errno.EPERM):
            raise InputError(f"没有权限读取 {shown}：请检查文件权限，或复制一份到有权限的位置再试。") from None
        raise InputError(f"无法读取{what} {shown}：{os_reason(exc)}。") from None
    os.close(fd)


def is_dir(path: Path) -> bool:
    """Path.is_dir() that answers False rather than raising for a name too long or a NUL in it."""
    try:
        return path.is_dir()
    except (OSError, ValueError):
        return False


# C0 and C1 control characters (tab, line feed and carriage return excepted), and the code points
# XML cannot hold at all: no file format we write takes them, and on a terminal they are commands.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")


def printable(text: str) -> str:
    """Text safe to print or to write into XML: control characters shown as \\xNN, never sent."""
    return CONTROL.sub(lambda m: f"\\x{ord(m.group(0)):02x}", text) if CONTROL.search(text) else text


_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
_RESERVED = re.compile(r"(?i)(CON|PRN|AUX|NUL|COM\d|LPT\d)(\..*)?")
NAME_BYTES = 200   # of a file name stem: 255 is the limit of most file systems, with room for suffixes


def safe_file_stem(text: str, fallback: str = "输出") -> str:
    """A file name stem from text read in a workbook (a department's name): no control characters,
    no path separators or characters Windows refuses, not hidden, not a reserved device name, and
    short enough (in UTF-8 bytes) for any file system."""
    stem = CONTROL.sub("", text)
    stem = _FORBIDDEN.sub(lambda m: chr(ord(m.group(0)) + 0xFEE0) if m.group(0) not in "\\/" else "／", stem)
    stem = " ".join(stem.split()).strip(" .")
    if not stem or _RESERVED.fullmatch(stem):
        stem = fallback + stem
    while len(stem.encode("utf-8")) > NAME_BYTES:
        stem = stem[:-1]
    return stem.rstrip(" .") or fallback
