// The egress tests' system-call watch (test/helpers/syscall-watch.ts) reads strace's lines: what it counts as leaving
// the machine, on lines strace 6 printed for Node, glibc's resolver and onnxruntime's telemetry threads.
import { describe, expect, it } from 'vitest';
import { outsideCall } from '../helpers/syscall-watch.js';

const target = (line: string) => outsideCall(line)?.target ?? null;

describe('the system-call watch', () => {
  it('counts addresses beyond loopback, DNS and the name services, by the call and the socket', () => {
    // onnxruntime's telemetry thread: the resolver's socket, then the query on it (its far end from -yy)
    expect(target('19253<node> connect(27<UDP:[29755]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}, 16) = 0')).toBe(
      '10.255.255.53:53 (DNS)',
    );
    expect(target('19253<node> sendto(27<UDP:[192.0.2.2:54904->10.255.255.53:53]>, "\\365\\344\\1\\0"..., 50, MSG_NOSIGNAL, NULL, 0) = 50')).toBe(
      '10.255.255.53:53 (DNS)',
    );
    expect(
      target('19253<node> connect(27<UNIX-STREAM:[29749]>, {sa_family=AF_UNIX, sun_path="/var/run/nscd/socket"}, 110) = -1 ENOENT (No such file or directory)'),
    ).toBe('/var/run/nscd/socket (name service)');
    expect(
      target(
        '31109<node> sendmsg(18<UDPv6:[[::]:41540]>, {msg_name={sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), sin6_scope_id=0}, msg_namelen=28}, 0) = 1',
      ),
    ).toBe('2001:db8::1:9');
    expect(target('31200<node> connect(20<TCP:[4242]>, {sa_family=AF_INET, sin_port=htons(443), sin_addr=inet_addr("192.0.2.1")}, 16 <unfinished ...>')).toBe(
      '192.0.2.1:443',
    );
    // an IPv6 socket's far end, as -yy prints it (each address in brackets), and an IPv4 one written as IPv6
    expect(target('31204<node> sendto(22<TCPv6:[[2001:db8::2]:40000->[2001:db8::1]:443]>, "x", 1, MSG_NOSIGNAL, NULL, 0) = 1')).toBe('2001:db8::1:443');
    expect(
      target(
        '31205<node> sendmmsg(23<UDPv6:[[2001:db8::2]:40001->[2001:db8::53]:53]>, [{msg_hdr={msg_name=NULL, msg_namelen=0}, msg_len=40}], 2, MSG_NOSIGNAL) = 2',
      ),
    ).toBe('2001:db8::53:53 (DNS)');
    expect(
      target(
        '31206<node> connect(24<TCPv6:[4245]>, {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::ffff:192.0.2.9", &sin6_addr), sin6_scope_id=0}, 28) = 0',
      ),
    ).toBe('::ffff:192.0.2.9:443');
    expect(target('31207<node> connect(25<UNIX-STREAM:[4246]>, {sa_family=AF_UNIX, sun_path="/run/avahi-daemon/socket"}, 110) = 0')).toBe(
      '/run/avahi-daemon/socket (name service)',
    );
    // a DNS server on loopback is still a lookup
    expect(target('31201<node> connect(21<UDP:[4243]>, {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("127.0.0.53")}, 16) = 0')).toBe(
      '127.0.0.53:53 (DNS)',
    );
    // a socket whose far end strace cannot name is not known to stay here
    expect(target('31203<node> sendto(5<UDP:[1234]>, "x", 1, 0, NULL, 0) = -1 EDESTADDRREQ')).toBe('UDP socket with no address');
    expect(
      outsideCall('31202<ffmpeg> connect(5<TCP:[4244]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("192.0.2.7")}, 16) = -1 ENETUNREACH'),
    ).toMatchObject({ pid: 31202, process: 'ffmpeg', syscall: 'connect' });
  });

  it('leaves loopback, the kernel, local sockets and resumed lines alone', () => {
    for (const line of [
      '30141<node> connect(25<TCP:[54027]>, {sa_family=AF_INET, sin_port=htons(41133), sin_addr=inet_addr("127.0.0.1")}, 16) = -1 EINPROGRESS (Operation now in progress)',
      '31109<node> sendmsg(18<UDPv6:[[::]:41540]>, {msg_name={sa_family=AF_INET6, sin6_port=htons(9), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "::1", &sin6_addr), sin6_scope_id=0}, msg_namelen=28}, 0) = 1',
      '31109<node> sendto(18<NETLINK:[ROUTE:31109]>, [{nlmsg_len=20, nlmsg_type=RTM_GETLINK}, {ifi_family=AF_UNSPEC, ...}], 20, 0, {sa_family=AF_NETLINK, nl_pid=0, nl_groups=00000000}, 12) = 20',
      '31109<node> connect(20<UDP:[0.0.0.0:60596]>, {sa_family=AF_UNSPEC, sa_data="\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0\\0"}, 16) = 0',
      '31300<perl> connect(3<UNIX-STREAM:[777]>, {sa_family=AF_UNIX, sun_path="/tmp/.s.PGSQL.5432"}, 110) = 0',
      '31301<node> sendto(22<TCP:[127.0.0.1:50000->127.0.0.1:6379]>, "*1\\r\\n$4\\r\\nPING\\r\\n", 14, 0, NULL, 0) = 14',
      '31302<node> sendto(26<TCPv6:[[::1]:34944->[::1]:34655]>, "hello", 5, 0, NULL, 0) = 5',
      '6383<node> <... connect resumed>) = 0',
      '6383<node> execve("/usr/bin/getent", ["getent", "hosts", "x"], 0x42a28770 /* 35 vars */) = 0',
    ]) {
      expect(outsideCall(line), line).toBeNull();
    }
  });
});
