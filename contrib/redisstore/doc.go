// Package redisstore lets several replicas of a web app and its workers
// share what creatorkit-go otherwise keeps in one process's memory.
package redisstore
