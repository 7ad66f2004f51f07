package testtls

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"time"
)

// PKI is a throw-away certificate authority and the certificates it signed,
// as PEM files in one directory.
type PKI struct {
	Dir string
	// CA is the certificate of the authority that signed the server's and
	// the client's certificates; OtherCA is an unrelated authority, for
	// "wrong CA" cases.
	CA, OtherCA string
	// ServerCert and ServerKey are valid for ServerNames and ServerIPs and
	// nothing else: a connection to another address of the same server
	// (AltHost) fails hostname verification.
	ServerCert, ServerKey string
	// ClientCert and ClientKey identify the user ClientUser (its common
	// name); ClientKeyDER is the same key in DER (PKCS #8), the form
	// pgjdbc reads.
	ClientCert, ClientKey, ClientKeyDER string
}

// The names the server certificate is valid for, the one it is not valid
// for (which reaches the same loopback servers), and the client's user.
var (
	ServerNames = []string{"localhost"}
	ServerIPs   = []net.IP{net.IPv4(127, 0, 0, 1)}
)

const (
	// Host is an address the server certificate names.
	Host = "127.0.0.1"
	// AltHost is a loopback address the servers listen on too, which the
	// server certificate does not name.
	AltHost = "127.0.0.2"
	// ClientUser is the common name of the client certificate.
	ClientUser = "certuser"
)

// NewPKI writes a CA, an unrelated CA, a server certificate and a client
// certificate into dir.
func NewPKI(dir string) (*PKI, error) {
	p := &PKI{Dir: dir}
	ca, caKey, err := newCert(dir, "ca", &x509.Certificate{
		Subject: pkix.Name{CommonName: "datasync test CA"}, IsCA: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageCRLSign, BasicConstraintsValid: true,
	}, nil, nil)
	if err != nil {
		return nil, err
	}
	if _, _, err := newCert(dir, "other-ca", &x509.Certificate{
		Subject: pkix.Name{CommonName: "datasync unrelated CA"}, IsCA: true,
		KeyUsage: x509.KeyUsageCertSign, BasicConstraintsValid: true,
	}, nil, nil); err != nil {
		return nil, err
	}
	if _, _, err := newCert(dir, "server", &x509.Certificate{
		Subject: pkix.Name{CommonName: "localhost"}, DNSNames: ServerNames, IPAddresses: ServerIPs,
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}, ca, caKey); err != nil {
		return nil, err
	}
	_, clientKey, err := newCert(dir, "client", &x509.Certificate{
		Subject: pkix.Name{CommonName: ClientUser}, KeyUsage: x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, ca, caKey)
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(clientKey)
	if err != nil {
		return nil, err
	}
	p.ClientKeyDER = filepath.Join(dir, "client.pk8")
	if err := os.WriteFile(p.ClientKeyDER, der, 0o600); err != nil {
		return nil, err
	}
	p.CA, p.OtherCA = filepath.Join(dir, "ca.pem"), filepath.Join(dir, "other-ca.pem")
	p.ServerCert, p.ServerKey = filepath.Join(dir, "server.pem"), filepath.Join(dir, "server-key.pem")
	p.ClientCert, p.ClientKey = filepath.Join(dir, "client.pem"), filepath.Join(dir, "client-key.pem")
	return p, nil
}

var serial int64

// newCert makes a certificate from tmpl, signed by parent (self-signed when
// nil), and writes it and its key as dir/name.pem and dir/name-key.pem.
func newCert(dir, name string, tmpl *x509.Certificate, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, nil, err
	}
	serial++
	tmpl.SerialNumber = big.NewInt(serial)
	tmpl.NotBefore = time.Now().Add(-time.Hour)
	tmpl.NotAfter = time.Now().Add(24 * time.Hour)
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	if err != nil {
		return nil, nil, fmt.Errorf("testtls: certificate %s: %w", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, err
	}
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, nil, err
	}
	if err := writePEM(filepath.Join(dir, name+".pem"), "CERTIFICATE", der, 0o644); err != nil {
		return nil, nil, err
	}
	if err := writePEM(filepath.Join(dir, name+"-key.pem"), "PRIVATE KEY", keyDER, 0o600); err != nil {
		return nil, nil, err
	}
	return cert, key, nil
}

func writePEM(path, typ string, der []byte, mode os.FileMode) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), mode)
}
