"""gRPC adapter of the control module: proto <-> domain, nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import grpc
from google.protobuf import timestamp_pb2

from mulligan.api.control.v1 import control_pb2 as pb
from mulligan.api.control.v1 import control_pb2_grpc as pb_grpc
from mulligan.control.service import ControlService
from mulligan.control.types import (
    BmcAccess,
    Host,
    HostKind,
    Image,
    ImageFormat,
    Machine,
    MachineFilter,
    MachineKind,
    MachineRequest,
    MachineState,
    NodeProperties,
    PowerAction,
    Resources,
)
from mulligan.errors import InvalidArgument

SERVICE_NAME = pb.DESCRIPTOR.services_by_name["ControlService"].full_name

_HOST_KINDS = {pb.HOST_KIND_HYPERVISOR: HostKind.HYPERVISOR, pb.HOST_KIND_BAREMETAL: HostKind.BAREMETAL}
_HOST_STATES = {"enrolling": pb.HOST_STATE_ENROLLING, "ready": pb.HOST_STATE_READY, "error": pb.HOST_STATE_ERROR}
_BMC_PROTOCOLS = {pb.BMC_PROTOCOL_IPMI: "ipmi", pb.BMC_PROTOCOL_REDFISH: "redfish"}
_PROTOCOL_VALUES = {name: value for value, name in _BMC_PROTOCOLS.items()}
_POWER_ACTIONS = {getattr(pb, f"POWER_ACTION_{action.name}"): action for action in PowerAction}
_IMAGE_FORMATS = {pb.IMAGE_FORMAT_QCOW2: ImageFormat.QCOW2, pb.IMAGE_FORMAT_RAW: ImageFormat.RAW}
_MACHINE_KINDS = {
    pb.MACHINE_KIND_UNSPECIFIED: MachineKind.VM,
    pb.MACHINE_KIND_VM: MachineKind.VM,
    pb.MACHINE_KIND_BAREMETAL: MachineKind.BAREMETAL,
}
_MACHINE_STATES = {state: getattr(pb, f"MACHINE_STATE_{state.name}") for state in MachineState}
_STATES_BY_VALUE = {value: state for state, value in _MACHINE_STATES.items()}


class ControlServicer(pb_grpc.ControlServiceServicer):
    def __init__(self, service: ControlService) -> None:
        self._service = service

    def Configure(self, request: pb.ConfigureRequest, context: grpc.ServicerContext) -> pb.ConfigureResponse:
        settings = self._service.configure(
            log_level=request.log_level or None,
            executor_workers=request.executor_workers if request.HasField("executor_workers") else None,
            image_sources=list(request.image_sources.sources) if request.HasField("image_sources") else None,
        )
        return pb.ConfigureResponse(
            log_level=settings.log_level,
            executor_workers=settings.executor_workers,
            image_sources=settings.image_sources,
        )

    # --- hosts ---------------------------------------------------------------

    def EnrollHost(self, request: pb.EnrollHostRequest, context: grpc.ServicerContext) -> pb.EnrollHostResponse:
        kind = _HOST_KINDS.get(request.kind)
        if kind is None:
            raise InvalidArgument(
                "kind must be HOST_KIND_HYPERVISOR or HOST_KIND_BAREMETAL", reason="INVALID_HOST_KIND"
            )
        host = self._service.hosts.enroll(
            request.name,
            kind=kind,
            region=request.region,
            uri=request.uri,
            bmc=_bmc_access(request.bmc) if request.HasField("bmc") else None,
            properties=_properties(request.properties) if request.HasField("properties") else None,
            disabled=request.disabled,
        )
        return pb.EnrollHostResponse(host=_host(host))

    def GetHost(self, request: pb.GetHostRequest, context: grpc.ServicerContext) -> pb.GetHostResponse:
        return pb.GetHostResponse(host=_host(self._service.hosts.get(request.host)))

    def ListHosts(self, request: pb.ListHostsRequest, context: grpc.ServicerContext) -> pb.ListHostsResponse:
        hosts, token = self._service.hosts.list(page_size=request.page_size, page_token=request.page_token)
        return pb.ListHostsResponse(hosts=[_host(h) for h in hosts], next_page_token=token)

    def UpdateHost(self, request: pb.UpdateHostRequest, context: grpc.ServicerContext) -> pb.UpdateHostResponse:
        paths = set(request.update_mask.paths)
        if paths != {"enabled"}:
            raise InvalidArgument("update_mask must name exactly: enabled", reason="INVALID_UPDATE_MASK")
        host = self._service.hosts.set_enabled(request.host.id, request.host.enabled)
        return pb.UpdateHostResponse(host=_host(host))

    def InspectHost(self, request: pb.InspectHostRequest, context: grpc.ServicerContext) -> pb.InspectHostResponse:
        return pb.InspectHostResponse(host=_host(self._service.inspect_host(request.host, in_band=request.in_band)))

    def DeleteHost(self, request: pb.DeleteHostRequest, context: grpc.ServicerContext) -> pb.DeleteHostResponse:
        self._service.hosts.delete(request.host)
        return pb.DeleteHostResponse()

    def SetHostPower(self, request: pb.SetHostPowerRequest, context: grpc.ServicerContext) -> pb.SetHostPowerResponse:
        host = self._service.set_host_power(request.host, _power_action(request.action))
        return pb.SetHostPowerResponse(host=_host(host))

    def SetHostMaintenance(
        self, request: pb.SetHostMaintenanceRequest, context: grpc.ServicerContext
    ) -> pb.SetHostMaintenanceResponse:
        host = self._service.power.set_maintenance(request.host, request.maintenance, request.reason)
        return pb.SetHostMaintenanceResponse(host=_host(host))

    # --- images --------------------------------------------------------------

    def CreateImage(self, request: pb.CreateImageRequest, context: grpc.ServicerContext) -> pb.CreateImageResponse:
        image_format = _IMAGE_FORMATS.get(request.format)
        if image_format is None:
            raise InvalidArgument("format must be IMAGE_FORMAT_QCOW2 or IMAGE_FORMAT_RAW", reason="INVALID_FORMAT")
        image = self._service.images.create(
            request.name,
            format=image_format,
            source=request.source,
            size_gb=request.size_gb,
            os_hints=dict(request.os_hints),
            project=request.project or None,
            system=request.system,
        )
        return pb.CreateImageResponse(image=_image(image))

    def GetImage(self, request: pb.GetImageRequest, context: grpc.ServicerContext) -> pb.GetImageResponse:
        return pb.GetImageResponse(image=_image(self._service.images.get(request.image)))

    def ListImages(self, request: pb.ListImagesRequest, context: grpc.ServicerContext) -> pb.ListImagesResponse:
        images, token = self._service.images.list(page_size=request.page_size, page_token=request.page_token)
        return pb.ListImagesResponse(images=[_image(i) for i in images], next_page_token=token)

    def DeleteImage(self, request: pb.DeleteImageRequest, context: grpc.ServicerContext) -> pb.DeleteImageResponse:
        self._service.images.delete(request.image)
        return pb.DeleteImageResponse()

    # --- machines ------------------------------------------------------------

    def ProvisionMachine(
        self, request: pb.ProvisionMachineRequest, context: grpc.ServicerContext
    ) -> pb.ProvisionMachineResponse:
        kind = _MACHINE_KINDS.get(request.kind)
        if kind is None:
            raise InvalidArgument("unknown machine kind", reason="INVALID_MACHINE_KIND")
        resources = None
        if request.HasField("resources"):
            r = request.resources
            resources = Resources(vcpus=r.vcpus, memory_mb=r.memory_mb, disk_gb=r.disk_gb)
        machine = self._service.machines.provision(
            MachineRequest(
                name=request.name,
                image=request.image,
                project=request.project or None,
                kind=kind,
                resources=resources,
                shape=request.shape,
                required_traits=frozenset(request.required_traits),
                forbidden_traits=frozenset(request.forbidden_traits),
                region=request.region,
                ssh_keys=tuple(request.ssh_keys),
                user_data=request.user_data,
                network=request.network,
                start=_from_timestamp(request.start) if request.HasField("start") else None,
                end=_from_timestamp(request.end) if request.HasField("end") else None,
            )
        )
        return pb.ProvisionMachineResponse(machine=_machine(machine))

    def GetMachine(self, request: pb.GetMachineRequest, context: grpc.ServicerContext) -> pb.GetMachineResponse:
        return pb.GetMachineResponse(machine=_machine(self._service.machines.get(request.machine)))

    def ListMachines(self, request: pb.ListMachinesRequest, context: grpc.ServicerContext) -> pb.ListMachinesResponse:
        states = set()
        for value in request.states:
            if value not in _STATES_BY_VALUE:
                raise InvalidArgument(f"unknown machine state {value}", reason="INVALID_MACHINE_STATE")
            states.add(_STATES_BY_VALUE[value])
        machines, token = self._service.machines.list(
            MachineFilter(states=frozenset(states), host=request.host, project=request.project),
            page_size=request.page_size,
            page_token=request.page_token,
        )
        return pb.ListMachinesResponse(machines=[_machine(m) for m in machines], next_page_token=token)

    def DecommissionMachine(
        self, request: pb.DecommissionMachineRequest, context: grpc.ServicerContext
    ) -> pb.DecommissionMachineResponse:
        return pb.DecommissionMachineResponse(machine=_machine(self._service.machines.decommission(request.machine)))

    def UpdateMachineWindow(
        self, request: pb.UpdateMachineWindowRequest, context: grpc.ServicerContext
    ) -> pb.UpdateMachineWindowResponse:
        machine = self._service.machines.change_window(
            request.machine,
            start=_from_timestamp(request.start) if request.HasField("start") else None,
            end=_from_timestamp(request.end) if request.HasField("end") else None,
            open_end=request.open_end,
        )
        return pb.UpdateMachineWindowResponse(machine=_machine(machine))

    def SetMachinePower(
        self, request: pb.SetMachinePowerRequest, context: grpc.ServicerContext
    ) -> pb.SetMachinePowerResponse:
        self._service.set_machine_power(request.machine, _power_action(request.action))
        return pb.SetMachinePowerResponse(machine=_machine(self._service.machines.get(request.machine)))

    def WatchMachines(
        self, request: pb.WatchMachinesRequest, context: grpc.ServicerContext
    ) -> Iterator[pb.WatchMachinesResponse]:
        watch = self._service.watch_machines(request.start_revision)
        if not context.add_callback(watch.cancel):
            # The call ended (cancelled, or the server stopped) before the
            # watch opened: nothing would ever cancel it.
            watch.cancel()
        # Headers now, not with the first change: they tell the client the
        # watch is live, so any change it makes from here on will show.
        context.send_initial_metadata(())
        for change in watch:
            yield pb.WatchMachinesResponse(revision=change.revision, machine=_machine(change.machine))


def register(server: grpc.Server, service: ControlService) -> str:
    pb_grpc.add_ControlServiceServicer_to_server(ControlServicer(service), server)
    return SERVICE_NAME


def _timestamp(value: datetime | None) -> timestamp_pb2.Timestamp | None:
    if value is None:
        return None
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(value)
    return stamp


def _from_timestamp(stamp: timestamp_pb2.Timestamp) -> datetime:
    return stamp.ToDatetime(tzinfo=UTC)


def _bmc_access(bmc: pb.Bmc) -> BmcAccess:
    protocol = _BMC_PROTOCOLS.get(bmc.protocol)
    if protocol is None:
        raise InvalidArgument(
            "bmc.protocol must be BMC_PROTOCOL_IPMI or BMC_PROTOCOL_REDFISH", reason="INVALID_BMC_PROTOCOL"
        )
    return BmcAccess(
        protocol=protocol,
        address=bmc.address,
        port=bmc.port,
        username=bmc.username,
        password=bmc.password,
        tls=bmc.tls,
        verify_tls=not bmc.skip_tls_verify,
        ca_pem=bmc.ca_pem,
        timeout_s=bmc.timeout_s,
        retries=bmc.retries if bmc.HasField("retries") else -1,
    )


def _properties(properties: pb.NodeProperties) -> NodeProperties:
    return NodeProperties(
        cpus=properties.cpus,
        memory_mb=properties.memory_mb,
        disk_gb=properties.disk_gb,
        arch=properties.arch,
        traits=tuple(properties.traits),
        macs=tuple(properties.macs),
    )


def _power_action(value: int) -> PowerAction:
    action = _POWER_ACTIONS.get(value)
    if action is None:
        raise InvalidArgument(
            "action must be one of POWER_ACTION_ON, _OFF, _SOFT_OFF, _REBOOT, _SOFT_REBOOT",
            reason="INVALID_POWER_ACTION",
        )
    return action


def _host(host: Host) -> pb.Host:
    return pb.Host(
        id=host.id,
        name=host.name,
        kind=pb.HOST_KIND_HYPERVISOR if host.kind is HostKind.HYPERVISOR else pb.HOST_KIND_BAREMETAL,
        region_id=host.region_id,
        uri=host.uri or "",
        bmc=pb.Bmc(
            address=host.bmc_address or "",
            port=host.bmc_port or 0,
            username=host.bmc_username or "",
            protocol=_PROTOCOL_VALUES.get(host.bmc_protocol or "", pb.BMC_PROTOCOL_UNSPECIFIED),
        )
        if host.bmc_address
        else None,
        state=_HOST_STATES[host.state],
        enabled=host.enabled,
        provider_id=host.provider_id,
        error=host.error,
        cpus=host.cpus,
        memory_mb=host.memory_mb,
        disk_gb=host.disk_gb,
        traits=list(host.traits),
        inspected_at=_timestamp(host.inspected_at),
        created_at=_timestamp(host.created_at),
        create_time=_timestamp(host.created_at),
        power_state=host.power_state or "",
        power_synced_at=_timestamp(host.power_synced_at),
        maintenance=host.maintenance,
        maintenance_reason=host.maintenance_reason,
        macs=list(host.macs),
    )


def _image(image: Image) -> pb.Image:
    return pb.Image(
        id=image.id,
        name=image.name,
        format=pb.IMAGE_FORMAT_QCOW2 if image.format is ImageFormat.QCOW2 else pb.IMAGE_FORMAT_RAW,
        source=image.source,
        size_gb=image.size_gb,
        os_hints=dict(image.os_hints),
        project_id=image.project_id or "",
        created_at=_timestamp(image.created_at),
        create_time=_timestamp(image.created_at),
    )


def _machine(machine: Machine) -> pb.Machine:
    return pb.Machine(
        id=machine.id,
        name=machine.name,
        project_id=machine.project_id,
        kind=pb.MACHINE_KIND_VM if machine.kind is MachineKind.VM else pb.MACHINE_KIND_BAREMETAL,
        state=_MACHINE_STATES[machine.state],
        error=machine.error,
        resources=pb.Resources(
            vcpus=machine.resources.vcpus, memory_mb=machine.resources.memory_mb, disk_gb=machine.resources.disk_gb
        ),
        image_id=machine.image_id,
        host_id=machine.host_id or "",
        region_id=machine.region_id or "",
        network=machine.network or "",
        start=_timestamp(machine.start),
        end=_timestamp(machine.end),
        created_at=_timestamp(machine.created_at),
        updated_at=_timestamp(machine.updated_at),
        create_time=_timestamp(machine.created_at),
        update_time=_timestamp(machine.updated_at),
        step=machine.step,
    )
