#!/usr/bin/env python3
"""A command-line client of neighsyncd's gRPC API (proto/neighsyncd/v1/neighsyncd.proto).

Its stubs are generated from the proto files at the first run (protoc with the gRPC Python plugin,
Debian's protobuf-compiler and protobuf-compiler-grpc) into a folder beside this file; it needs
Debian's python3-grpcio and python3-protobuf. See README.md.

Every answer is printed as one JSON object per line (a watch prints one per event), so that a
script can read it; errors go to stderr as "CODE: description" and the exit status is 1.
"""

import argparse
import hashlib
import importlib
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PROTO_ROOTS = [os.path.join(HERE, "..", "..", "proto"), os.path.join(HERE, "proto")]
# the standard services' parts under std/ (their proto packages are grpc.*: a Python package of
# that name would hide grpcio)
PROTO_FILES = ["neighsyncd/v1/neighsyncd.proto", "std/health.proto", "std/reflection.proto"]


def generated_dir():
    """Where the stubs of the current proto files are: made with protoc when missing or stale."""
    digest = hashlib.sha256()
    sources = []
    for name in PROTO_FILES:
        for root in PROTO_ROOTS:
            path = os.path.join(root, name)
            if os.path.exists(path):
                sources.append((root, name))
                with open(path, "rb") as f:
                    digest.update(f.read())
                break
        else:
            sys.exit("cannot find " + name + " under " + " or ".join(PROTO_ROOTS))
    out = os.path.join(HERE, ".generated", digest.hexdigest()[:16])
    if not os.path.isdir(out):
        tmp = out + ".tmp" + str(os.getpid())
        os.makedirs(tmp)
        plugin = "/usr/bin/grpc_python_plugin"
        for root, name in sources:
            subprocess.run(["protoc", "-I", root, "--python_out=" + tmp, "--grpc_out=" + tmp,
                            "--plugin=protoc-gen-grpc=" + plugin, os.path.join(root, name)], check=True)
        try:
            os.replace(tmp, out)
        except OSError:
            # another run made it at the same time
            if not os.path.isdir(out):
                raise
    return out


sys.path.insert(0, generated_dir())
import grpc  # noqa: E402
from google.protobuf import descriptor_pb2, json_format  # noqa: E402

pb = importlib.import_module("neighsyncd.v1.neighsyncd_pb2")
pb_grpc = importlib.import_module("neighsyncd.v1.neighsyncd_pb2_grpc")
health_pb = importlib.import_module("std.health_pb2")
health_grpc = importlib.import_module("std.health_pb2_grpc")
reflection_pb = importlib.import_module("std.reflection_pb2")
reflection_grpc = importlib.import_module("std.reflection_pb2_grpc")


def emit(message):
    print(json_format.MessageToJson(message, indent=None, preserving_proto_field_name=True), flush=True)


def channel(args):
    if args.ca_cert:
        with open(args.ca_cert, "rb") as f:
            return grpc.secure_channel(args.target, grpc.ssl_channel_credentials(root_certificates=f.read()))
    return grpc.insecure_channel(args.target)


def metadata(args):
    token = args.token or os.environ.get("NEIGHSYNCD_TOKEN")
    return [("authorization", "Bearer " + token)] if token else []


def neighbor_filter(args):
    return pb.NeighborFilter(ifname=args.ifname or "", family=args.family or "FAMILY_UNSPECIFIED",
                             vrf=args.vrf or "", mac_prefix=args.mac_prefix or "",
                             state=getattr(args, "state", None) or "NUD_STATE_UNSPECIFIED")


def cmd_list(stub, args):
    token = ""
    while True:
        page = stub.ListNeighbors(pb.ListNeighborsRequest(namespace=args.namespace, filter=neighbor_filter(args),
                                                          page_size=args.page_size, page_token=token),
                                  metadata=metadata(args), timeout=args.timeout)
        emit(page)
        token = page.next_page_token
        if not token or not args.all:
            return


def cmd_get(stub, args):
    emit(stub.GetNeighbor(pb.GetNeighborRequest(namespace=args.namespace, ifname=args.ifname, ip=args.ip),
                          metadata=metadata(args), timeout=args.timeout))


def cmd_status(stub, args):
    emit(stub.GetStatus(pb.GetStatusRequest(namespace=args.namespace), metadata=metadata(args),
                        timeout=args.timeout))


def cmd_resync(stub, args):
    progress = stub.Resync(pb.ResyncRequest(namespace=args.namespace, reason=args.reason or ""),
                           metadata=metadata(args), timeout=args.timeout)
    emit(progress)
    if args.wait:
        # asks again every 0.2 s until it is done
        while progress.state in (pb.ResyncProgress.WAITING, pb.ResyncProgress.RUNNING):
            time.sleep(0.2)
            progress = stub.GetResync(pb.GetResyncRequest(namespace=args.namespace, id=progress.id),
                                      metadata=metadata(args), timeout=args.timeout)
            if progress.state not in (pb.ResyncProgress.WAITING, pb.ResyncProgress.RUNNING):
                emit(progress)


def cmd_watch(stub, args):
    request = pb.WatchNeighborsRequest(namespace=args.namespace, filter=neighbor_filter(args),
                                       max_lag=args.max_lag)
    if args.resume:
        history, _, revision = args.resume.rpartition(":")
        request.__getattribute__("from").CopyFrom(pb.Position(history=history, revision=int(revision)))
    changes = 0
    for event in stub.WatchNeighbors(request, metadata=metadata(args), timeout=args.timeout):
        emit(event)
        if event.HasField("change"):
            changes += 1
            if args.changes and changes >= args.changes:
                return


def cmd_health(args, ch):
    emit(health_grpc.HealthStub(ch).Check(health_pb.HealthCheckRequest(service=args.service),
                                          timeout=args.timeout))


def cmd_reflect(args, ch):
    """Lists the services, then the methods of neighsyncd.v1.Neighsyncd from its file descriptor."""
    stub = reflection_grpc.ServerReflectionStub(ch)
    requests = [reflection_pb.ServerReflectionRequest(list_services=""),
                reflection_pb.ServerReflectionRequest(file_containing_symbol="neighsyncd.v1.Neighsyncd")]
    out = {"services": [], "methods": []}
    for answer in stub.ServerReflectionInfo(iter(requests), metadata=metadata(args), timeout=args.timeout):
        kind = answer.WhichOneof("message_response")
        if kind == "list_services_response":
            out["services"] = [s.name for s in answer.list_services_response.service]
        elif kind == "file_descriptor_response":
            for raw in answer.file_descriptor_response.file_descriptor_proto:
                fd = descriptor_pb2.FileDescriptorProto.FromString(raw)
                for service in fd.service:
                    if fd.package + "." + service.name == "neighsyncd.v1.Neighsyncd":
                        out["methods"] = [m.name for m in service.method]
        elif kind == "error_response":
            sys.exit("reflection: " + answer.error_response.error_message)
    print(json.dumps(out), flush=True)


def main():
    p = argparse.ArgumentParser(description="neighsyncd gRPC client")
    p.add_argument("--target", default="127.0.0.1:50051", help="host:port of the daemon's gRPC API")
    p.add_argument("--token", help="bearer token (default: $NEIGHSYNCD_TOKEN)")
    p.add_argument("--ca-cert", help="PEM file of the CA that signed the server's certificate: use TLS")
    p.add_argument("--namespace", default="", help="the pipeline's network namespace (default: the only one, "
                   "else the host's)")
    p.add_argument("--timeout", type=float, help="deadline of each call, seconds (default: 30; a watch: none)")
    sub = p.add_subparsers(dest="command", required=True)

    def filters(sp, with_state=True):
        sp.add_argument("--ifname")
        sp.add_argument("--family", choices=["IPV4", "IPV6"])
        sp.add_argument("--vrf")
        sp.add_argument("--mac-prefix")
        if with_state:
            sp.add_argument("--state", choices=[n for n in pb.NudState.keys() if n != "NUD_STATE_UNSPECIFIED"])

    sp = sub.add_parser("list", help="the applied table")
    filters(sp)
    sp.add_argument("--page-size", type=int, default=0)
    sp.add_argument("--all", action="store_true", help="every page, one line each")
    sp = sub.add_parser("get", help="one key: kernel view, verdict, APPL_DB")
    sp.add_argument("ifname")
    sp.add_argument("ip")
    sub.add_parser("status", help="the pipeline's state")
    sp = sub.add_parser("resync", help="a full dump diffed against APPL_DB (admin token)")
    sp.add_argument("--reason")
    sp.add_argument("--wait", action="store_true", help="follow it until done")
    sp = sub.add_parser("watch", help="a snapshot, then every change (one JSON line per event)")
    filters(sp, with_state=False)
    sp.add_argument("--resume", help="HISTORY:REVISION to resume after (no snapshot)")
    sp.add_argument("--max-lag", type=int, default=0)
    sp.add_argument("--changes", type=int, default=0, help="stop after this many changes (0: never)")
    sp = sub.add_parser("health", help="grpc.health.v1 (no token needed)")
    sp.add_argument("--service", default="", help="empty: the server as a whole")
    sub.add_parser("reflect", help="the services and methods, by server reflection (no proto needed)")
    args = p.parse_args()
    if args.timeout is None and args.command != "watch":
        args.timeout = 30.0

    with channel(args) as ch:
        try:
            if args.command == "health":
                cmd_health(args, ch)
            elif args.command == "reflect":
                cmd_reflect(args, ch)
            else:
                globals()["cmd_" + args.command](pb_grpc.NeighsyncdStub(ch), args)
        except grpc.RpcError as e:
            print(e.code().name + ": " + (e.details() or ""), file=sys.stderr)
            sys.exit(1)


if __name__ == "__main__":
    main()
