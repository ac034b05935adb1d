// Behavioural test of the openapi-generator `go` client (issue #10). Copied into
// the generated package by tools/generators/run.py and run with `go test`.
// Prints one line per check: `ok NAME` or `FAIL NAME: why`.
package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
)

func proofClient() (*APIClient, context.Context) {
	cfg := NewConfiguration()
	cfg.Servers = ServerConfigurations{{URL: os.Getenv("TRILLET_BASE_URL")}}
	ctx := context.WithValue(context.Background(), ContextAPIKeys, map[string]APIKey{
		"ApiKey": {Key: "k"}, "WorkspaceId": {Key: "w"},
	})
	return NewAPIClient(cfg), ctx
}

func lastBody() (string, error) {
	resp, err := http.Get(os.Getenv("TRILLET_BASE_URL") + "/__last")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var last struct{ Body json.RawMessage }
	if err := json.NewDecoder(resp.Body).Decode(&last); err != nil {
		return "", err
	}
	return string(last.Body), nil
}

// sentExactly compares the JSON the server received with the expected JSON.
func sentExactly(expected string) error {
	got, err := lastBody()
	if err != nil {
		return err
	}
	var g, e interface{}
	_ = json.Unmarshal([]byte(got), &g)
	_ = json.Unmarshal([]byte(expected), &e)
	if !reflect.DeepEqual(g, e) {
		return fmt.Errorf("server received %s, expected %s", got, expected)
	}
	return nil
}

func TestProof(t *testing.T) {
	client, ctx := proofClient()
	check := func(name string, fn func() error) {
		if err := fn(); err != nil {
			t.Fail()
			fmt.Printf("FAIL %s: %s\n", name, strings.Join(strings.Fields(err.Error()), " "))
		} else {
			fmt.Printf("ok %s\n", name)
		}
	}
	check("partial-update-agent", func() error {
		update := NewAgentUpdate() // the documented constructor
		update.SetName("Night Shift")
		_, _, _ = client.AgentsAPI.UpdateAgent(ctx, "a1").AgentUpdate(*update).Execute()
		return sentExactly(`{"name":"Night Shift"}`)
	})
	check("partial-update-call-flow", func() error {
		update := NewCallFlowUpdate()
		update.SetName("Reception")
		_, _, _ = client.CallFlowsAPI.UpdateCallFlow(ctx, "f1").CallFlowUpdate(*update).Execute()
		return sentExactly(`{"name":"Reception"}`)
	})
	check("decode-unknown-agent", func() error {
		agent, _, err := client.AgentsAPI.GetAgent(ctx, "a1").Execute()
		if err != nil {
			return err
		}
		if agent.GetStatus() != "hibernating" {
			return fmt.Errorf("status %q", agent.GetStatus())
		}
		return nil
	})
	check("decode-unknown-call-flow", func() error {
		flow, _, err := client.CallFlowsAPI.GetCallFlow(ctx, "f1").Execute()
		if err != nil {
			return err
		}
		if flow.GetDirection() != "sideways" {
			return fmt.Errorf("direction %q", flow.GetDirection())
		}
		return nil
	})
	check("list-workspaces", func() error {
		value, _, err := client.WorkspacesAPI.ListWorkspaces(ctx).Execute()
		if err != nil {
			return err
		}
		return listOf(value, 2)
	})
	var phones []PhoneNumberRecord
	check("list-phone-numbers", func() error {
		value, _, err := client.PhoneNumbersAPI.ListUserPhoneNumbers(ctx).Execute()
		phones = value
		if err != nil {
			return err
		}
		return listOf(value, 2)
	})
	check("money-float64", func() error {
		var bad []string
		for _, f := range []struct {
			name string
			typ  reflect.Type
		}{
			{"AgentSettings.speed", reflect.TypeOf(AgentSettings{}.Speed)},
			{"PhoneNumberRecord.monthlyPrice", reflect.TypeOf(PhoneNumberRecord{}.MonthlyPrice)},
		} {
			if f.typ.Elem().Kind() != reflect.Float64 {
				bad = append(bad, fmt.Sprintf("%s is %s", f.name, f.typ))
			}
		}
		if len(phones) > 0 && phones[0].GetMonthlyPrice() != 1234567.89 {
			bad = append(bad, fmt.Sprintf("monthlyPrice 1234567.89 decoded as %v", phones[0].GetMonthlyPrice()))
		}
		if len(bad) > 0 {
			return fmt.Errorf("%s", strings.Join(bad, "; "))
		}
		return nil
	})
}

// listOf accepts a slice, or a oneOf wrapper whose one non-nil member is a slice.
func listOf(value interface{}, n int) error {
	v := reflect.ValueOf(value)
	for v.Kind() == reflect.Ptr && !v.IsNil() {
		v = v.Elem()
	}
	if v.Kind() == reflect.Struct {
		for i := 0; i < v.NumField(); i++ {
			f := v.Field(i)
			if f.Kind() == reflect.Ptr && !f.IsNil() {
				v = f.Elem()
				break
			}
		}
	}
	if v.Kind() != reflect.Slice {
		return fmt.Errorf("decoded as %s, not a list", v.Type())
	}
	if v.Len() != n {
		return fmt.Errorf("%d items, expected %d", v.Len(), n)
	}
	return nil
}
