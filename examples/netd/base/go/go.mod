module example.com/netd

go 1.19
