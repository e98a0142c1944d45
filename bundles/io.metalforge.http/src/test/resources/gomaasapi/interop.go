// A real MAAS client (juju/gomaasapi, Debian's golang-github-juju-gomaasapi-dev) against a Metalforge server:
// logs in (version/ and users/?op=whoami through NewController), reads whoami, lists boot resources, and posts an
// urlencoded form and a Go multipart form with "?op=" as gomaasapi does for plain POSTs.
// Usage: go run interop.go http://HOST:PORT/MAAS/ CONSUMER:TOKEN:SECRET
package main

import (
	"fmt"
	"net/url"
	"os"

	"github.com/juju/gomaasapi"
)

func fail(step string, err error) {
	fmt.Printf("FAIL %s: %v\n", step, err)
	os.Exit(1)
}

func main() {
	base, key := os.Args[1], os.Args[2]
	controller, err := gomaasapi.NewController(gomaasapi.ControllerArgs{BaseURL: base, APIKey: key})
	if err != nil {
		fail("login", err)
	}
	fmt.Printf("capabilities %v\n", controller.Capabilities().SortedValues())

	client, err := gomaasapi.NewAuthenticatedClient(gomaasapi.AddAPIVersionToURL(base, "2.0"), key)
	if err != nil {
		fail("client", err)
	}
	maas := gomaasapi.NewMAAS(*client)
	version, err := maas.GetSubObject("version").CallGet("", nil)
	if err != nil {
		fail("version", err)
	}
	versionMap, _ := version.GetMap()
	versionString, _ := versionMap["version"].GetString()
	fmt.Printf("version %s\n", versionString)

	who, err := maas.GetSubObject("users").CallGet("whoami", nil)
	if err != nil {
		fail("whoami", err)
	}
	whoMap, _ := who.GetMap()
	username, _ := whoMap["username"].GetString()
	fmt.Printf("whoami %s\n", username)

	resources, err := controller.BootResources()
	if err != nil {
		fail("boot resources", err)
	}
	for _, r := range resources {
		fmt.Printf("resource %d %s %s %s %v\n", r.ID(), r.Name(), r.Type(), r.Architecture(),
			r.SubArchitectures().SortedValues())
	}

	params := url.Values{}
	params.Add("name", "custom/gopher")
	params.Add("arches", "amd64")
	params.Add("arches", "arm64")
	created, err := maas.GetSubObject("boot-resources").CallPost("", params)
	if err != nil {
		fail("urlencoded post", err)
	}
	createdMap, _ := created.GetMap()
	summary, _ := createdMap["summary"].GetString()
	fmt.Printf("posted %s\n", summary)

	files := map[string][]byte{"content": []byte("gopher bytes\r\n--not-a-boundary\x00\xff")}
	uploaded, err := maas.GetSubObject("boot-resources").CallPostFiles("", params, files)
	if err != nil {
		fail("multipart post", err)
	}
	uploadedMap, _ := uploaded.GetMap()
	summary, _ = uploadedMap["summary"].GetString()
	fmt.Printf("posted %s\n", summary)
	fmt.Println("OK")
}
