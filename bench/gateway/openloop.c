/*
 * Open-loop load for the gateway harness (run.sh, mode chat-open): requests are sent on a Poisson schedule at a
 * fixed rate, whatever the answers' latency, over a fixed number of keep-alive HTTP/1.1 connections, and each
 * latency is measured from the request's scheduled time. A request that finds every connection busy waits for one,
 * and that wait counts in its latency (no coordinated omission).
 *
 * Why not wrk: its delay() hook releases paced requests on the millisecond ticks of its timer loop, so at a few
 * thousand requests a second they reach the server in clumps of several at once, and a one-core server serves a
 * clump one request after another. Independent clients arrive one by one; this tool sends each request at its own
 * microsecond. The schedule comes from a seeded generator, so the direct run and the gateway run see the very same
 * arrivals.
 *
 * Usage: openloop HOST PORT PATH RATE SECONDS CONNECTIONS BODY_FILE [SEED]
 *   Sends POST PATH with the body read from BODY_FILE, Content-Type application/json, and
 *   Authorization: Bearer $ODOCK_BENCH_KEY when that variable is set.
 * Prints one line:
 *   sent=<n> done=<n> rps=<achieved> p50_us=<> p90_us=<> p99_us=<> p999_us=<> max_us=<> errors=<n> waited=<n>
 * where errors counts answers other than 200, broken connections and requests unanswered 5 s after the run, and
 * waited counts requests that found every connection busy.
 *
 * With OPENLOOP_LOG=FILE set, it also writes one line per answered request to FILE: its due time and the time its
 * answer completed (CLOCK_MONOTONIC, ns) and the HTTP status, so slow requests can be matched against a trace taken
 * with the same clock (perf record -k CLOCK_MONOTONIC).
 *
 * Build: cc -O2 -o openloop openloop.c -lm   (Linux: epoll_pwait2, glibc 2.35 or newer)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DRAIN_NS (5ull * 1000000000ull)

struct conn {
    int fd;
    int busy;
    uint64_t scheduled; /* when the request in flight was due, ns */
    char *buf;
    size_t len, cap;
};

static uint64_t now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint64_t rng_state;

static double uniform01(void) { /* xorshift64*, in (0, 1] */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return ((rng_state * 2685821657736338717ull) >> 11) * (1.0 / 9007199254740992.0) + (1.0 / 9007199254740992.0);
}

static void die(const char *what) {
    perror(what);
    exit(1);
}

static int open_connection(const char *host, int port, int epoll_fd, int index) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket");
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    if (inet_pton(AF_INET, host, &address.sin_addr) != 1) {
        fprintf(stderr, "HOST must be an IPv4 address, not %s\n", host);
        exit(2);
    }
    if (connect(fd, (struct sockaddr *)&address, sizeof address) != 0) die("connect");
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct epoll_event event = {.events = EPOLLIN, .data.u32 = (uint32_t)index};
    if (epoll_ctl(epoll_fd, EPOLL_CTL_ADD, fd, &event) != 0) die("epoll_ctl");
    return fd;
}

/* Writes the whole request; the socket stays blocking for writes, and a request fits its send buffer. */
static int send_request(struct conn *c, const char *request, size_t length, uint64_t scheduled) {
    size_t sent = 0;
    while (sent < length) {
        ssize_t n = send(c->fd, request + sent, length - sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return -1;
        sent += (size_t)n;
    }
    c->busy = 1;
    c->scheduled = scheduled;
    c->len = 0;
    return 0;
}

/* Where the response in buf ends: 0 while incomplete, -1 when it cannot be parsed. Sets *status. */
static long response_end(const char *buf, size_t len, int *status) {
    const char *head_end = memmem(buf, len, "\r\n\r\n", 4);
    if (head_end == NULL) return 0;
    size_t body = (size_t)(head_end - buf) + 4;
    if (len < 12 || strncmp(buf, "HTTP/1.", 7) != 0) return -1;
    *status = atoi(buf + 9);
    long content_length = -1;
    int chunked = 0;
    for (const char *line = memchr(buf, '\n', body) + 1; line < head_end; line = memchr(line, '\n', (size_t)(buf + body - line)) + 1) {
        if (strncasecmp(line, "content-length:", 15) == 0) content_length = atol(line + 15);
        if (strncasecmp(line, "transfer-encoding:", 18) == 0 && memmem(line, (size_t)(head_end - line), "chunked", 7)) chunked = 1;
    }
    if (!chunked) return content_length < 0 ? -1 : (len >= body + (size_t)content_length ? (long)(body + (size_t)content_length) : 0);
    size_t at = body;
    for (;;) { /* size line, data, CRLF; the last chunk has size 0 and no trailers follow it here */
        const char *eol = memmem(buf + at, len - at, "\r\n", 2);
        if (eol == NULL) return 0;
        char *after;
        unsigned long size = strtoul(buf + at, &after, 16);
        if (after == buf + at) return -1;
        at = (size_t)(eol - buf) + 2 + size + 2;
        if (len < at) return 0;
        if (size == 0) return (long)at;
    }
}

static int compare_u64(const void *a, const void *b) {
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static uint64_t percentile(const uint64_t *sorted, size_t n, double p) {
    if (n == 0) return 0;
    size_t i = (size_t)ceil(p * (double)n);
    return sorted[i == 0 ? 0 : i - 1];
}

int main(int argc, char **argv) {
    if (argc < 8) {
        fprintf(stderr, "usage: %s HOST PORT PATH RATE SECONDS CONNECTIONS BODY_FILE [SEED]\n", argv[0]);
        return 2;
    }
    const char *host = argv[1], *path = argv[3];
    int port = atoi(argv[2]), connections = atoi(argv[6]);
    double rate = atof(argv[4]), seconds = atof(argv[5]);
    rng_state = argc > 8 ? strtoull(argv[8], NULL, 10) : 20261124;
    if (rng_state == 0) rng_state = 1;
    if (rate <= 0 || seconds <= 0 || connections <= 0) {
        fprintf(stderr, "RATE, SECONDS and CONNECTIONS must be positive\n");
        return 2;
    }

    FILE *body_file = fopen(argv[7], "rb");
    if (body_file == NULL) die(argv[7]);
    char body[65536];
    size_t body_length = fread(body, 1, sizeof body, body_file);
    fclose(body_file);
    const char *key = getenv("ODOCK_BENCH_KEY");
    char authorization[512] = "";
    if (key != NULL && *key) snprintf(authorization, sizeof authorization, "Authorization: Bearer %s\r\n", key);
    char request[70000];
    int head = snprintf(request, sizeof request,
                        "POST %s HTTP/1.1\r\nHost: %s:%d\r\nContent-Type: application/json\r\n%sContent-Length: %zu\r\n\r\n",
                        path, host, port, authorization, body_length);
    memcpy(request + head, body, body_length);
    size_t request_length = (size_t)head + body_length;

    /* Timers as exact as the kernel gives them: the default slack lets a 100 µs wait end 50 µs late. */
    prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);

    int epoll_fd = epoll_create1(0);
    if (epoll_fd < 0) die("epoll_create1");
    struct conn *pool = calloc((size_t)connections, sizeof *pool);
    for (int i = 0; i < connections; i++) {
        pool[i].fd = open_connection(host, port, epoll_fd, i);
        pool[i].cap = 65536;
        pool[i].buf = malloc(pool[i].cap);
    }

    size_t expected = (size_t)(rate * seconds * 1.2) + 1024;
    uint64_t *latencies = malloc(expected * sizeof *latencies);
    const char *log_path = getenv("OPENLOOP_LOG");
    FILE *log_file = log_path != NULL && *log_path ? fopen(log_path, "w") : NULL;
    if (log_path != NULL && *log_path && log_file == NULL) die(log_path);
    uint64_t *backlog = malloc(expected * sizeof *backlog); /* due times of requests waiting for a connection */
    size_t done = 0, sent = 0, backlog_head = 0, backlog_tail = 0, errors = 0, waited = 0, in_flight = 0;

    uint64_t start = now_ns();
    uint64_t end = start + (uint64_t)(seconds * 1e9);
    uint64_t next = start + (uint64_t)(-log(uniform01()) / rate * 1e9);
    struct epoll_event events[64];

    for (;;) {
        uint64_t now = now_ns();
        while (next <= now && next < end && sent < expected) { /* everything due by now goes out */
            sent++;
            int free_index = -1;
            for (int i = 0; i < connections; i++) {
                if (!pool[i].busy) { free_index = i; break; }
            }
            if (free_index >= 0 && send_request(&pool[free_index], request, request_length, next) == 0) {
                in_flight++;
            } else if (free_index >= 0) {
                errors++;
            } else {
                waited++;
                backlog[backlog_tail++] = next;
            }
            next += (uint64_t)(-log(uniform01()) / rate * 1e9);
        }
        if (now >= end && in_flight == 0 && backlog_head == backlog_tail) break;
        if (now >= end + DRAIN_NS) {
            errors += in_flight + (backlog_tail - backlog_head);
            break;
        }

        uint64_t wake = next < end ? next : in_flight > 0 || backlog_head < backlog_tail ? end + DRAIN_NS : end;
        struct timespec timeout = {0, 0};
        if (wake > now) {
            timeout.tv_sec = (time_t)((wake - now) / 1000000000ull);
            timeout.tv_nsec = (long)((wake - now) % 1000000000ull);
        }
        int ready = epoll_pwait2(epoll_fd, events, 64, &timeout, NULL);
        if (ready < 0 && errno != EINTR) die("epoll_pwait2");
        for (int e = 0; e < ready; e++) {
            struct conn *c = &pool[events[e].data.u32];
            if (c->cap - c->len < 4096) {
                c->cap *= 2;
                c->buf = realloc(c->buf, c->cap);
            }
            ssize_t n = recv(c->fd, c->buf + c->len, c->cap - c->len, MSG_DONTWAIT);
            if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            int status = 0;
            long complete = n > 0 ? (c->len += (size_t)n, response_end(c->buf, c->len, &status)) : -1;
            if (complete == 0) continue;
            uint64_t finished = now_ns();
            if (complete < 0 || (size_t)complete != c->len) { /* closed, unparsable, or bytes nobody asked for */
                errors += c->busy;
                in_flight -= (size_t)c->busy;
                epoll_ctl(epoll_fd, EPOLL_CTL_DEL, c->fd, NULL);
                close(c->fd);
                c->fd = open_connection(host, port, epoll_fd, (int)(c - pool));
                c->busy = 0;
                c->len = 0;
            } else {
                if (log_file != NULL) fprintf(log_file, "%llu %llu %d\n", (unsigned long long)c->scheduled, (unsigned long long)finished, status);
                if (status == 200) latencies[done++] = finished - c->scheduled;
                else errors++;
                c->busy = 0;
                in_flight--;
            }
            if (backlog_head < backlog_tail) {
                if (send_request(c, request, request_length, backlog[backlog_head++]) == 0) in_flight++;
                else errors++;
            }
        }
    }

    if (log_file != NULL) fclose(log_file);
    qsort(latencies, done, sizeof *latencies, compare_u64);
    printf("sent=%zu done=%zu rps=%.0f p50_us=%llu p90_us=%llu p99_us=%llu p999_us=%llu max_us=%llu errors=%zu waited=%zu\n",
           sent, done, (double)done / seconds,
           (unsigned long long)(percentile(latencies, done, 0.50) / 1000), (unsigned long long)(percentile(latencies, done, 0.90) / 1000),
           (unsigned long long)(percentile(latencies, done, 0.99) / 1000), (unsigned long long)(percentile(latencies, done, 0.999) / 1000),
           (unsigned long long)(done ? latencies[done - 1] / 1000 : 0), errors, waited);
    return 0;
}
