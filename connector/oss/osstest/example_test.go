package osstest_test

import (
	"fmt"
	"io"
	"log"
	"strings"

	"github.com/aliyun/aliyun-oss-go-sdk/oss"

	"github.com/datasync-go/datasync/connector/oss/osstest"
)

// A test talks to the server through the real SDK, with V4 signatures here.
func Example() {
	srv := osstest.NewServer(osstest.WithBuckets("my-bucket"))
	defer srv.Close()

	bucket, err := srv.Bucket("my-bucket", oss.AuthVersion(oss.AuthV4), oss.Region(srv.Region))
	if err != nil {
		log.Fatal(err)
	}
	if err := bucket.PutObject("greeting.txt", strings.NewReader("hello, oss")); err != nil {
		log.Fatal(err)
	}
	// The next download is cut after 5 bytes.
	srv.Inject(osstest.Fault{Op: osstest.OpGetObject, DropAfter: 5})
	body, err := bucket.GetObject("greeting.txt")
	if err != nil {
		log.Fatal(err)
	}
	got, err := io.ReadAll(body)
	body.Close()
	fmt.Printf("%q %v\n", got, err)

	body, _ = bucket.GetObject("greeting.txt", oss.Range(7, 9))
	got, _ = io.ReadAll(body)
	body.Close()
	fmt.Printf("%q\n", got)
	fmt.Println(srv.Count(osstest.OpGetObject), srv.Requests()[0].Auth)
	// Output:
	// "hello" unexpected EOF
	// "oss"
	// 2 V4
}
