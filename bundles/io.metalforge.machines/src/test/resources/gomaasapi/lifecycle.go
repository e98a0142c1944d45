// A real MAAS client (juju/gomaasapi, Debian's golang-github-juju-gomaasapi-dev) drives a machine's lifecycle on a
// Metalforge server: lists machines, allocates one by host name (AllocateMachine), deploys it (Machine.Start) with
// user data and releases it (ReleaseMachines), printing what it reads back at each step (the hardware too).
// Usage: go run lifecycle.go http://HOST:PORT/MAAS/ CONSUMER:TOKEN:SECRET HOSTNAME DISTRO_SERIES
package main

import (
	"encoding/base64"
	"fmt"
	"os"

	"github.com/juju/gomaasapi"
)

func fail(step string, err error) {
	fmt.Printf("FAIL %s: %v\n", step, err)
	os.Exit(1)
}

func main() {
	base, key, hostname, series := os.Args[1], os.Args[2], os.Args[3], os.Args[4]
	controller, err := gomaasapi.NewController(gomaasapi.ControllerArgs{BaseURL: base, APIKey: key})
	if err != nil {
		fail("login", err)
	}
	machines, err := controller.Machines(gomaasapi.MachinesArgs{Hostnames: []string{hostname}})
	if err != nil {
		fail("machines", err)
	}
	for _, m := range machines {
		fmt.Printf("machine %s %s %s %s\n", m.SystemID(), m.Hostname(), m.StatusName(), m.Architecture())
		// the hardware given at create, as gomaasapi reads what MAAS's commissioning would have found
		fmt.Printf("memory %d cpus %d ips %v\n", m.Memory(), m.CPUCount(), m.IPAddresses())
		for _, d := range m.PhysicalBlockDevices() {
			fmt.Printf("disk %s %s %d %s\n", d.Name(), d.Model(), d.Size(), d.Path())
		}
		if b := m.BootInterface(); b != nil {
			fmt.Printf("boot %s %s\n", b.Name(), b.MACAddress())
		}
		for _, nic := range m.InterfaceSet() {
			fmt.Printf("nic %s %s %s %d\n", nic.Name(), nic.Type(), nic.MACAddress(), nic.EffectiveMTU())
			for _, l := range nic.Links() {
				fmt.Printf("link %s %s %s\n", nic.Name(), l.Mode(), l.IPAddress())
			}
		}
	}
	machine, _, err := controller.AllocateMachine(gomaasapi.AllocateMachineArgs{Hostname: hostname})
	if err != nil {
		fail("allocate", err)
	}
	fmt.Printf("allocated %s %s\n", machine.SystemID(), machine.StatusName())
	if _, _, err := controller.AllocateMachine(gomaasapi.AllocateMachineArgs{Hostname: hostname}); err != nil {
		fmt.Printf("second allocate: no match %v\n", gomaasapi.IsNoMatchError(err))
	}
	userData := base64.StdEncoding.EncodeToString([]byte("#cloud-config\n{}\n"))
	if err := machine.Start(gomaasapi.StartArgs{DistroSeries: series, UserData: userData}); err != nil {
		fail("start", err)
	}
	fmt.Printf("started %s %s %s/%s\n", machine.SystemID(), machine.StatusName(), machine.OperatingSystem(),
		machine.DistroSeries())
	if err := controller.ReleaseMachines(gomaasapi.ReleaseMachinesArgs{SystemIDs: []string{machine.SystemID()}}); err != nil {
		fail("release", err)
	}
	fmt.Println("released")
	fmt.Println("OK")
}
